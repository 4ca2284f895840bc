import { describe, expect, it, vi } from 'vitest';
import { createElectronShell, pickDialogOptions, type PickDialogOptions } from '../../electron/main/electron-shell';

function fakeElectron(result: { canceled: boolean; filePaths: string[] }) {
  const showOpenDialog = vi.fn(async (_window: { id: number }, _options: PickDialogOptions) => result);
  const quit = vi.fn();
  return { electron: { dialog: { showOpenDialog }, app: { quit } }, showOpenDialog, quit };
}

describe('Electron shell for the admin screen', () => {
  it('asks for a folder, a .kpack file or an export folder, modal to the kiosk window', async () => {
    const window = { id: 1 };
    const { electron, showOpenDialog } = fakeElectron({ canceled: false, filePaths: ['/media/usb/pack.kpack'] });
    const shell = createElectronShell(electron, () => window);
    expect(await shell.pickPath!('pack-file')).toBe('/media/usb/pack.kpack');
    expect(showOpenDialog).toHaveBeenLastCalledWith(window, {
      properties: ['openFile', 'dontAddToRecent'],
      filters: [{ name: 'Kiosk pack (.kpack)', extensions: ['kpack'] }],
    });
    await shell.pickPath!('pack-folder');
    expect(showOpenDialog.mock.lastCall?.[1].properties).toContain('openDirectory');
    expect(showOpenDialog.mock.lastCall?.[1].properties).not.toContain('openFile');
    await shell.pickPath!('export-folder');
    expect(showOpenDialog.mock.lastCall?.[1].properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
  });

  it('returns null when staff cancel the dialog', async () => {
    const { electron } = fakeElectron({ canceled: true, filePaths: [] });
    expect(await createElectronShell(electron, () => ({ id: 1 })).pickPath!('pack-folder')).toBeNull();
  });

  it('quits the app on exit', () => {
    const { electron, quit } = fakeElectron({ canceled: true, filePaths: [] });
    createElectronShell(electron, () => ({ id: 1 })).exit!();
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('never offers files for a folder purpose', () => {
    for (const purpose of ['pack-folder', 'export-folder'] as const) expect(pickDialogOptions(purpose).filters).toBeUndefined();
  });
});

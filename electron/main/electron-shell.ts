import type { KioskShell } from '../core/kiosk-shell';

type Purpose = Parameters<NonNullable<KioskShell['pickPath']>>[0];

/** The parts of Electron's OpenDialogOptions used here. */
export interface PickDialogOptions {
  properties: ('openFile' | 'openDirectory' | 'createDirectory' | 'dontAddToRecent')[];
  filters?: { name: string; extensions: string[] }[];
}

/** The slices of Electron's dialog and app the shell uses, so tests can pass fakes. */
export interface ShellElectron<Window> {
  dialog: { showOpenDialog(window: Window, options: PickDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }> };
  app: { quit(): void };
}

/** What each purpose asks the OS dialog for: a pack comes as a folder or a .kpack file; exports go to a folder. */
export function pickDialogOptions(purpose: Purpose): PickDialogOptions {
  switch (purpose) {
    case 'pack-folder':
      return { properties: ['openDirectory', 'dontAddToRecent'] };
    case 'pack-file':
      return { properties: ['openFile', 'dontAddToRecent'], filters: [{ name: 'Kiosk pack (.kpack)', extensions: ['kpack'] }] };
    case 'export-folder':
      return { properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] };
  }
}

/**
 * The Electron shell for the admin screen: native file dialogs, modal to the kiosk window so they stay in
 * front of a full-screen kiosk, and quitting the app. The dialog's labels follow the OS language.
 */
export function createElectronShell<Window>(electron: ShellElectron<Window>, window: () => Window): KioskShell {
  return {
    async pickPath(purpose) {
      const result = await electron.dialog.showOpenDialog(window(), pickDialogOptions(purpose));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    exit() {
      electron.app.quit();
    },
  };
}

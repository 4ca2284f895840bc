import { dispatch, KIOSK_IPC_CHANNEL, type Envelope, type KioskApi } from '../common/kiosk-api';

/** The slice of Electron's ipcMain this needs, so tests can pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface IpcEventLike {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

/**
 * One channel for the whole contract. Calls from any frame but the app's own top-level page are refused,
 * the method must be in the contract, and arguments pass the contract's zod schemas before core sees them.
 */
export function registerKioskIpc(ipcMain: IpcMainLike, service: KioskApi, isAppUrl: (url: string) => boolean): () => void {
  ipcMain.handle(KIOSK_IPC_CHANNEL, async (event, method, args): Promise<Envelope<unknown>> => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are only accepted from the kiosk page' } };
    }
    return dispatch(service, typeof method === 'string' ? method : '', args);
  });
  return () => ipcMain.removeHandler(KIOSK_IPC_CHANNEL);
}

import { KIOSK_METHODS, unwrapEnvelope, type Envelope, type KioskApi } from '../../electron/common/kiosk-api';
import { createHttpKioskApi } from '../../electron/common/http-transport';
import { newToken, startKioskHost } from '../../electron/host/kiosk-host';
import { registerKioskIpc, type IpcEventLike, type IpcMainLike } from '../../electron/main/ipc';
import { buildKioskBridge } from '../../electron/preload/kiosk-bridge';
import { describeKioskApiContract } from '../contract/kiosk-api-contract';
import { tempKiosk } from '../helpers/temp-kiosk';

describeKioskApiContract(
  'core service, called directly',
  async () => {
    const kiosk = await tempKiosk();
    return { api: kiosk.service, db: kiosk.db, close: async () => kiosk.close() };
  },
  false,
);

describeKioskApiContract(
  'Electron IPC (main handler + preload bridge, electron injected)',
  async () => {
    const kiosk = await tempKiosk();
    let handler: ((event: IpcEventLike, ...args: unknown[]) => Promise<unknown>) | undefined;
    const ipcMain: IpcMainLike = { handle: (_c, h) => (handler = h), removeHandler: () => (handler = undefined) };
    registerKioskIpc(ipcMain, kiosk.service, (url) => url.startsWith('kiosk://app/'));
    const mainFrame = { url: 'kiosk://app/' };
    const event: IpcEventLike = { senderFrame: mainFrame, sender: { mainFrame } };
    const bridge = buildKioskBridge(KIOSK_METHODS, (method, args) => handler!(event, method, args));
    const api = Object.fromEntries(
      KIOSK_METHODS.map((m) => [m, async (...a: unknown[]) => unwrapEnvelope((await bridge[m]!(...a)) as Envelope<unknown>)]),
    ) as unknown as KioskApi;
    return { api, db: kiosk.db, close: async () => kiosk.close() };
  },
  true,
);

describeKioskApiContract(
  'loopback HTTP host',
  async () => {
    const kiosk = await tempKiosk();
    const token = newToken();
    const host = await startKioskHost({
      service: kiosk.service,
      token,
      rendererDir: null,
      packDir: (id, v) => kiosk.packs.dirOf(id, v),
      port: 0,
    });
    const api = createHttpKioskApi({ baseUrl: `http://127.0.0.1:${host.port}`, token });
    return {
      api,
      db: kiosk.db,
      close: async () => {
        await host.close();
        kiosk.close();
      },
    };
  },
  true,
);

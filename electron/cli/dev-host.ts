import { openKiosk } from '../core/open-kiosk';
import { createKioskRequestHandler, newToken } from '../host/kiosk-host';
import { appFiles, appVersion } from './app-files';

/**
 * The real kiosk (SQLite, packs, media) behind Vite's dev server: `npm run dev` gets hot reload of the
 * renderer while /api and /media are answered exactly as in browser-kiosk mode.
 */
export async function createDevHost(dataDir: string) {
  const kiosk = await openKiosk({ dataDir, bundledPackDir: appFiles.bundledPackDir, appVersion: appVersion() });
  const token = newToken();
  const handler = createKioskRequestHandler({
    service: kiosk.service,
    token,
    rendererDir: null,
    packDir: (id, version) => kiosk.packs.dirOf(id, version),
  });
  return { handler, token, close: () => kiosk.close() };
}

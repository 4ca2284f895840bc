import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Exhibit Kiosk';

/**
 * The folder Electron calls userData, computed without Electron, so the browser kiosk and the Electron
 * app on one machine share the same log, packs and settings.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}

/** Where each piece of state lives inside the data folder. */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    database: join(dataDir, 'visit-log.sqlite'),
    packs: join(dataDir, 'packs'),
    settings: join(dataDir, 'settings.json'),
  };
}

import { app, BrowserWindow, ipcMain, powerSaveBlocker, protocol, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKiosk } from '../core/open-kiosk';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler, isAppUrl } from './app-protocol';
import { createElectronSettings } from './electron-settings';
import { registerKioskIpc } from './ipc';
import { electronNativeBindingPath, requireNativeBinding } from './native-binding';
import { denyAllPermissions, lockNavigation } from './window-guards';

// Thin on purpose: every piece below is a tested module; this file only wires them to Electron.
const appRoot = fileURLToPath(new URL('../../', import.meta.url));
const resources = app.isPackaged ? process.resourcesPath : appRoot;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();
else void start();

async function start(): Promise<void> {
  await app.whenReady();
  const kiosk = await openKiosk({
    dataDir: app.getPath('userData'),
    bundledPackDir: join(resources, 'exhibits', 'consular-protection'),
    appVersion: app.getVersion(),
    settings: createElectronSettings(),
    nativeBinding: requireNativeBinding(
      electronNativeBindingPath({
        isPackaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        appRoot,
        abi: process.versions.modules,
        platform: process.platform,
        arch: process.arch,
      }),
    ),
  });
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rendererDir: join(appRoot, 'dist', 'renderer'),
      packDir: (id, version) => kiosk.packs.dirOf(id, version),
    }),
  );
  session.defaultSession.setPermissionRequestHandler(denyAllPermissions);
  session.defaultSession.on('will-download', (event) => event.preventDefault());
  registerKioskIpc(ipcMain, kiosk.service, isAppUrl);
  powerSaveBlocker.start('prevent-display-sleep');

  const window = new BrowserWindow({
    kiosk: app.isPackaged,
    fullscreen: app.isPackaged,
    autoHideMenuBar: true,
    backgroundColor: '#101828',
    webPreferences: {
      preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !app.isPackaged,
    },
  });
  window.removeMenu();
  lockNavigation(window.webContents, (line) => console.warn(line));
  void window.webContents.setVisualZoomLevelLimits(1, 1);
  await window.loadURL(`${APP_ORIGIN}/`);

  app.on('second-instance', () => window.focus());
  app.on('before-quit', () => kiosk.close());
}

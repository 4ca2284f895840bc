import { app, BrowserWindow, dialog, ipcMain, powerSaveBlocker, protocol, session } from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openVisitProbe, scheduleNightlyRestart } from '../core/nightly-restart';
import { openKiosk } from '../core/open-kiosk';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler, isAppUrl } from './app-protocol';
import { watchRenderer } from './crash-recovery';
import { createElectronSettings, repairSettingsFile, settingsStoreOptions, SETTINGS_STORE_NAME } from './electron-settings';
import { createElectronShell } from './electron-shell';
import { registerKioskIpc } from './ipc';
import { kioskWindowOptions } from './kiosk-window';
import { configureMainLog } from './main-log';
import { electronNativeBindingPath, requireNativeBinding } from './native-binding';
import { createCloseGuard, guardWebContents, lockSession } from './window-guards';

// Thin on purpose: every decision below lives in a tested module; this file only wires them to Electron.
const appRoot = fileURLToPath(new URL('../../', import.meta.url));
const resources = app.isPackaged ? process.resourcesPath : appRoot;
const production = app.isPackaged;
configureMainLog(log, { logDir: join(app.getPath('userData'), 'logs'), production });
const warn = (line: string) => log.warn(line);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
// Every web contents, including any a bug or an exploit manages to create, gets the same guards.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { production, log: warn }));

if (!app.requestSingleInstanceLock()) app.quit();
else {
  start().catch((error: unknown) => {
    log.error('The kiosk could not start:', error);
    dialog.showErrorBox('Exhibit Kiosk', `The kiosk could not start / 展台无法启动:\n${(error as Error).message}`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  lockSession(session.defaultSession, warn);
  const userData = app.getPath('userData');
  repairSettingsFile(join(userData, `${SETTINGS_STORE_NAME}.json`), warn);
  const settings = createElectronSettings(new Store(settingsStoreOptions()));

  const window = new BrowserWindow(kioskWindowOptions({ production, preload: join(appRoot, 'dist', 'electron', 'preload.cjs') }));
  window.removeMenu();
  window.once('ready-to-show', () => window.show());

  const kiosk = await openKiosk({
    dataDir: userData,
    bundledPackDir: join(resources, 'exhibits', 'consular-protection'),
    appVersion: app.getVersion(),
    settings,
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
    shell: createElectronShell({ dialog, app }, () => window),
  });
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rendererDir: join(appRoot, 'dist', 'renderer'),
      packDir: (id, version) => kiosk.packs.dirOf(id, version),
    }),
  );
  registerKioskIpc(ipcMain, kiosk.service, isAppUrl);
  const displaySleep = powerSaveBlocker.start('prevent-display-sleep');

  const closeGuard = createCloseGuard({ production, log: warn });
  window.on('close', closeGuard.onClose);
  window.on('session-end', closeGuard.allowClose);
  const renderer = watchRenderer(window.webContents, {
    recoverOpenVisits: () => kiosk.recoverOpenVisits(),
    relaunch: () => {
      kiosk.close();
      app.relaunch();
      app.exit(0);
    },
    log: warn,
  });
  const nightly = scheduleNightlyRestart({
    readTime: () => settings.get().nightlyRestart,
    hasOpenVisit: openVisitProbe(kiosk.db),
    restart: () => {
      app.relaunch();
      app.quit();
    },
    log: (line) => log.info(line),
  });
  app.on('second-instance', () => window.focus());
  app.on('before-quit', () => {
    closeGuard.allowClose();
    nightly.stop();
    renderer.stop();
    powerSaveBlocker.stop(displaySleep);
    kiosk.close();
  });
  // The only window is closed only on quitting (see the close guard); then the app goes too.
  app.on('window-all-closed', () => app.quit());

  await window.loadURL(`${APP_ORIGIN}/`);
}

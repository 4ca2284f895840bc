import { parseArgs } from 'node:util';
import type { KioskShell } from '../../core/kiosk-shell';
import { openVisitProbe, scheduleNightlyRestart } from '../../core/nightly-restart';
import { openKiosk } from '../../core/open-kiosk';
import { defaultDataDir, dataPaths } from '../../core/paths';
import { newToken, startKioskHost } from '../../host/kiosk-host';
import { appFiles, appVersion } from '../app-files';
import { findBrowser, superviseBrowser, type SupervisedBrowser } from '../browser-kiosk';
import { UsageError } from '../usage-error';

export const SERVE_USAGE = `kiosk serve [--port N] [--data DIR] [--open] [--windowed]
  Serves the kiosk on 127.0.0.1 for a browser (browser-kiosk mode).
  --port N     port to listen on (default: a free one)
  --data DIR   data folder: visit log, packs, settings (default: ${defaultDataDir()})
  --open       start the system Chromium in kiosk mode on it, and restart it if it dies
  --windowed   with --open: a normal window instead of full-screen kiosk mode`;

const EXIT_GRACE_MS = 250;

export async function serveCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '0' },
        data: { type: 'string' },
        open: { type: 'boolean', default: false },
        windowed: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not ${values.port}`);
  const dataDir = values.data ?? defaultDataDir();

  // Set once everything is running; "exit the kiosk" on the admin screen stops it the way Ctrl-C does.
  let stop: () => Promise<void> = async () => {};
  const shell: KioskShell = {
    // A short grace so the admin screen gets its answer before the host closes its connections.
    exit: () => void setTimeout(() => void stop(), EXIT_GRACE_MS),
  };
  const kiosk = await openKiosk({ dataDir, bundledPackDir: appFiles.bundledPackDir, appVersion: appVersion(), shell });
  for (const notice of (await kiosk.service.getStatus()).notices) console.error(`Notice: ${notice.detail}`);
  const host = await startKioskHost({
    service: kiosk.service,
    token: newToken(),
    rendererDir: appFiles.rendererDir,
    packDir: (id, version) => kiosk.packs.dirOf(id, version),
    port,
  });
  console.log(`Kiosk ready at ${host.url}`);
  console.error(`Data folder: ${dataPaths(dataDir).dataDir}`);

  let browser: SupervisedBrowser | null = null;
  let nightly: { stop(): void } | null = null;
  if (values.open) {
    const executable = findBrowser();
    if (executable) {
      browser = superviseBrowser(
        executable,
        {
          url: host.url,
          mode: values.windowed ? 'app' : 'kiosk',
          runningAsRoot: process.getuid?.() === 0,
          // A browser that died took its page with it: that page's visit is closed as 'recovered'.
          onRelaunch: () => kiosk.recoverOpenVisits(),
          // A browser that cannot start at all: exit non-zero so a service manager restarts everything.
          onGiveUp: () => {
            process.exitCode = 1;
            void stop();
          },
        },
        (line) => console.error(line),
      );
      // The nightly restart gives the browser a fresh renderer; the time is re-read from the settings
      // every minute, so a change on the admin screen applies without a restart.
      if (!values.windowed) {
        nightly = scheduleNightlyRestart({
          readTime: () => kiosk.settings.get().nightlyRestart,
          hasOpenVisit: openVisitProbe(kiosk.db),
          restart: () => browser?.restart(),
          log: (line) => console.error(line),
        });
      }
    } else {
      console.error('No Chromium or Chrome found (set CHROME_PATH to one). Open the address above in a browser.');
    }
  }

  return new Promise((resolve) => {
    let stopping = false;
    stop = async () => {
      if (stopping) return;
      stopping = true;
      nightly?.stop();
      await browser?.stop();
      await host.close();
      kiosk.close();
      resolve(0);
    };
    // `on`, not `once`: Ctrl-C reaches us both from the terminal and forwarded by `npm start`, and a
    // second signal must not kill the process halfway through closing the log.
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  });
}

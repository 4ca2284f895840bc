import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROME_PATH first (staff may point at any Chromium), then the usual names on PATH. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, executable = isExecutable): string | null {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return null;
}

export interface KioskBrowserOptions {
  url: string;
  profileDir: string;
  /** `kiosk`: fullscreen, no way out; `app`: a plain window for trying it on a desktop. */
  mode: 'kiosk' | 'app';
  runningAsRoot: boolean;
  /** The screen's size when known: without a window manager (xinit kiosks) --kiosk cannot fill it alone. */
  screen?: { width: number; height: number } | null;
}

/** Reads `current W x H` from `xrandr --current`. */
export function parseXrandrScreen(output: string): { width: number; height: number } | null {
  const match = /current (\d+) x (\d+)/.exec(output);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}

/** The X screen's size on Linux, if xrandr is there to tell; null elsewhere. */
export function detectScreen(env: NodeJS.ProcessEnv = process.env): { width: number; height: number } | null {
  if (process.platform !== 'linux' || !env.DISPLAY) return null;
  const result = spawnSync('xrandr', ['--current'], { encoding: 'utf8', timeout: 3000, env });
  return result.status === 0 ? parseXrandrScreen(result.stdout) : null;
}

/** The flags that make a stock Chromium behave like a kiosk appliance. */
export function kioskBrowserArgs(options: KioskBrowserOptions): string[] {
  const args = [
    `--user-data-dir=${options.profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-session-crashed-bubble',
    '--noerrdialogs',
    '--disable-infobars',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,OverscrollHistoryNavigation,MediaRouter',
    '--overscroll-history-navigation=0',
    '--disable-pinch',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--password-store=basic',
    '--check-for-update-interval=31536000',
  ];
  // Chromium refuses to start as root with its sandbox on; kiosks should run as a normal user.
  if (options.runningAsRoot) args.push('--no-sandbox');
  // Without a window manager (a bare X server) --kiosk alone keeps a small window: size it to the screen.
  if (options.mode === 'kiosk') {
    args.push('--kiosk', '--start-fullscreen', '--window-position=0,0');
    if (options.screen) args.push(`--window-size=${options.screen.width},${options.screen.height}`);
  }
  else args.push('--window-size=1280,800');
  args.push(options.mode === 'kiosk' ? options.url : `--app=${options.url}`);
  return args;
}

export interface SupervisedBrowser {
  stop(): Promise<void>;
}

/**
 * Starts the browser with a fresh profile and, in kiosk mode, starts it again if it dies, with a growing
 * pause so a browser that cannot start does not spin.
 */
export function superviseBrowser(
  browser: string,
  options: Omit<KioskBrowserOptions, 'profileDir'>,
  log: (line: string) => void,
): SupervisedBrowser {
  let child: ChildProcess | null = null;
  let stopping = false;
  let delayMs = 1000;
  let restartTimer: NodeJS.Timeout | null = null;
  let profileDir = '';

  // Chromium's helper processes outlive the main one by a moment and keep writing to the profile, so it
  // is removed a little later and with retries.
  const removeProfile = (dir: string) =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        try {
          rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        } catch (error) {
          log(`Could not remove the browser profile ${dir}: ${(error as Error).message}`);
        }
        resolve();
      }, 500),
    );
  let profileRemoved: Promise<void> = Promise.resolve();

  const launch = () => {
    profileDir = mkdtempSync(join(tmpdir(), 'kiosk-browser-'));
    const startedAt = Date.now();
    child = spawn(browser, kioskBrowserArgs({ ...options, profileDir, screen: options.mode === 'kiosk' ? detectScreen() : null }), { stdio: 'ignore' });
    child.on('exit', (code, signal) => {
      profileRemoved = removeProfile(profileDir);
      child = null;
      if (stopping) return;
      if (options.mode !== 'kiosk') {
        log('The browser window was closed. The kiosk host keeps running; press Ctrl-C to stop it.');
        return;
      }
      if (Date.now() - startedAt > 60_000) delayMs = 1000;
      log(`The browser exited (${signal ?? code}); starting it again in ${Math.round(delayMs / 1000)} s.`);
      restartTimer = setTimeout(launch, delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    });
  };
  launch();

  return {
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        if (restartTimer) clearTimeout(restartTimer);
        if (!child) return void profileRemoved.then(resolve);
        child.once('exit', () => void profileRemoved.then(resolve));
        child.kill('SIGTERM');
      }),
  };
}

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
  /** Starts a fresh browser (new profile, new renderer) now, e.g. for the nightly restart. */
  restart(): void;
  stop(): Promise<void>;
}

/** The child process the supervisor watches. */
export interface BrowserProcess {
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  kill(signal: NodeJS.Signals): boolean;
}

/** What the supervisor does to the system, so tests can run it without a browser. */
export interface SupervisorDeps {
  spawn(browser: string, args: string[]): BrowserProcess;
  makeProfileDir(): string;
  /** Resolves once the profile is gone (or could not be removed, which is logged). */
  removeProfileDir(dir: string, log: (line: string) => void): Promise<void>;
  detectScreen(): { width: number; height: number } | null;
}

// Chromium's helper processes outlive the main one by a moment and keep writing to the profile, so it
// is removed a little later and with retries.
const removeProfileLater = (dir: string, log: (line: string) => void) =>
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

export const systemSupervisorDeps: SupervisorDeps = {
  spawn: (browser, args): ChildProcess => spawn(browser, args, { stdio: 'ignore' }),
  makeProfileDir: () => mkdtempSync(join(tmpdir(), 'kiosk-browser-')),
  removeProfileDir: removeProfileLater,
  detectScreen: () => detectScreen(),
};

export interface SupervisePolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run shorter than this is a failure to start, not a crash after use. */
  quickFailureMs: number;
  /** This many quick failures in a row and the supervisor stops trying. */
  maxQuickFailures: number;
  /** A run longer than this resets the pause to firstDelayMs. */
  healthyRunMs: number;
  /** How long a browser asked to stop gets before it is killed. */
  killAfterMs: number;
}

export const DEFAULT_SUPERVISE_POLICY: SupervisePolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  quickFailureMs: 10_000,
  maxQuickFailures: 5,
  healthyRunMs: 60_000,
  killAfterMs: 5000,
};

export interface SuperviseOptions extends Omit<KioskBrowserOptions, 'profileDir' | 'screen'> {
  /**
   * Called before the browser is started again (after it died, or restart()): the page it showed is
   * gone, so `kiosk serve` closes the visit it had open as 'recovered'.
   */
  onRelaunch?(): void;
  /** Called once when the browser keeps failing to start and the supervisor has given up. */
  onGiveUp?(): void;
  policy?: Partial<SupervisePolicy>;
}

/**
 * Starts the browser with a fresh profile and, in kiosk mode, starts it again if it dies, with a growing
 * pause so a browser that cannot start does not spin; after repeated failures to even start it gives up
 * with a message saying what to check, instead of flashing a broken browser forever.
 */
export function superviseBrowser(
  browser: string,
  options: SuperviseOptions,
  log: (line: string) => void,
  deps: SupervisorDeps = systemSupervisorDeps,
): SupervisedBrowser {
  const policy = { ...DEFAULT_SUPERVISE_POLICY, ...options.policy };
  let child: BrowserProcess | null = null;
  let stopping = false;
  let restartRequested = false;
  let delayMs = policy.firstDelayMs;
  let quickFailures = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let profileRemoved: Promise<void> = Promise.resolve();
  let exited: Promise<void> = Promise.resolve();

  const relaunch = (afterMs: number) => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      options.onRelaunch?.();
      launch();
    }, afterMs);
  };

  const launch = () => {
    const profileDir = deps.makeProfileDir();
    const startedAt = Date.now();
    const args = kioskBrowserArgs({ ...options, profileDir, screen: options.mode === 'kiosk' ? deps.detectScreen() : null });
    const current = deps.spawn(browser, args);
    child = current;
    let resolveExited: () => void = () => {};
    exited = new Promise((resolve) => (resolveExited = resolve));
    let ended = false;
    const onEnd = (how: string) => {
      // A failed spawn reports 'error' and may also report 'exit': handle the first only.
      if (ended) return;
      ended = true;
      child = null;
      profileRemoved = deps.removeProfileDir(profileDir, log);
      resolveExited();
      if (stopping) return;
      if (restartRequested) {
        restartRequested = false;
        log('Starting a fresh browser.');
        relaunch(0);
        return;
      }
      if (options.mode !== 'kiosk') {
        log('The browser window was closed. The kiosk host keeps running; press Ctrl-C to stop it.');
        return;
      }
      const ranMs = Date.now() - startedAt;
      if (ranMs >= policy.healthyRunMs) delayMs = policy.firstDelayMs;
      quickFailures = ranMs < policy.quickFailureMs ? quickFailures + 1 : 0;
      if (quickFailures >= policy.maxQuickFailures) {
        log(
          [
            `GIVING UP: the browser ${browser} stopped within ${policy.quickFailureMs / 1000} s of starting ${quickFailures} times in a row (last: ${how}).`,
            '  Check that it starts by hand with the same user and display (DISPLAY / WAYLAND_DISPLAY), or point CHROME_PATH at another Chromium.',
            '  The kiosk host keeps running; restart this command once the browser is fixed.',
          ].join('\n'),
        );
        options.onGiveUp?.();
        return;
      }
      log(`The browser exited (${how}); starting it again in ${Math.round(delayMs / 1000)} s.`);
      relaunch(delayMs);
      delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
    };
    current.once('exit', (code, signal) => onEnd(String(signal ?? code)));
    current.once('error', (error) => onEnd(error.message));
  };
  launch();

  const terminate = (target: BrowserProcess) => {
    target.kill('SIGTERM');
    const killer = setTimeout(() => target.kill('SIGKILL'), policy.killAfterMs);
    void exited.then(() => clearTimeout(killer));
  };

  return {
    restart() {
      if (stopping) return;
      if (child) {
        restartRequested = true;
        terminate(child);
      } else {
        // Between a crash and its scheduled restart, or after giving up: start now.
        if (restartTimer) clearTimeout(restartTimer);
        quickFailures = 0;
        relaunch(0);
      }
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (child) {
        terminate(child);
        await exited;
      }
      await profileRemoved;
    },
  };
}

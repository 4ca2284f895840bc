import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  findBrowser,
  kioskBrowserArgs,
  parseXrandrScreen,
  superviseBrowser,
  type BrowserProcess,
  type SupervisorDeps,
} from '../../electron/cli/browser-kiosk';
import { defaultDataDir } from '../../electron/core/paths';

describe('browser kiosk', () => {
  it('prefers CHROME_PATH, then the usual names on PATH', () => {
    const exists = (p: string) => ['/opt/chrome/chrome', '/usr/bin/chromium', '/usr/bin/google-chrome'].includes(p);
    expect(findBrowser({ CHROME_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' }, exists)).toBe('/opt/chrome/chrome');
    expect(findBrowser({ PATH: '/usr/local/bin:/usr/bin' }, exists)).toBe('/usr/bin/chromium');
    expect(findBrowser({ PATH: '/nowhere' }, exists)).toBeNull();
    expect(findBrowser({ CHROME_PATH: '/missing', PATH: '/usr/bin' }, exists)).toBeNull();
  });

  it('starts Chromium as a kiosk with a fresh profile and no first-run, translate or pinch', () => {
    const args = kioskBrowserArgs({ url: 'http://127.0.0.1:1/#token=t', profileDir: '/tmp/p', mode: 'kiosk', runningAsRoot: false });
    expect(args).toContain('--user-data-dir=/tmp/p');
    expect(args).toContain('--kiosk');
    expect(args).toContain('--no-first-run');
    expect(args).toContain('--disable-pinch');
    expect(args).toContain('--autoplay-policy=no-user-gesture-required');
    expect(args.some((a) => a.startsWith('--disable-features=') && a.includes('Translate'))).toBe(true);
    expect(args).not.toContain('--no-sandbox');
    expect(args.at(-1)).toBe('http://127.0.0.1:1/#token=t');
  });

  it('sizes the kiosk window to the screen when it is known (X without a window manager)', () => {
    expect(parseXrandrScreen('Screen 0: minimum 1 x 1, current 1080 x 1920, maximum 16384 x 16384\nHDMI-1 connected')).toEqual({ width: 1080, height: 1920 });
    expect(parseXrandrScreen('garbage')).toBeNull();
    const args = kioskBrowserArgs({ url: 'u', profileDir: 'p', mode: 'kiosk', runningAsRoot: false, screen: { width: 1080, height: 1920 } });
    expect(args).toContain('--window-size=1080,1920');
    expect(kioskBrowserArgs({ url: 'u', profileDir: 'p', mode: 'kiosk', runningAsRoot: false }).some((a) => a.startsWith('--window-size'))).toBe(false);
  });

  it('opens an app window in windowed mode and drops the sandbox only for root', () => {
    const args = kioskBrowserArgs({ url: 'http://127.0.0.1:1/', profileDir: '/tmp/p', mode: 'app', runningAsRoot: true });
    expect(args).toContain('--app=http://127.0.0.1:1/');
    expect(args).toContain('--no-sandbox');
    expect(args).not.toContain('--kiosk');
  });

  it('keeps data where Electron would, so both modes share one log', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/Exhibit Kiosk');
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/Exhibit Kiosk');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Exhibit Kiosk');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toContain('Exhibit Kiosk');
  });
});

/** A browser process the test ends by hand. */
class FakeBrowser extends EventEmitter implements BrowserProcess {
  signals: NodeJS.Signals[] = [];
  constructor(
    readonly args: string[],
    private readonly exitOn: NodeJS.Signals[] = ['SIGTERM'],
  ) {
    super();
  }
  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (this.exitOn.includes(signal)) queueMicrotask(() => this.emit('exit', null, signal));
    return true;
  }
  die(code = 1): void {
    this.emit('exit', code, null);
  }
}

function fakeSystem(exitOn?: NodeJS.Signals[]) {
  const started: FakeBrowser[] = [];
  const removed: string[] = [];
  let n = 0;
  const deps: SupervisorDeps = {
    spawn: (_browser, args) => {
      const child = new FakeBrowser(args, exitOn);
      started.push(child);
      return child;
    },
    makeProfileDir: () => `/tmp/profile-${(n += 1)}`,
    removeProfileDir: async (dir) => void removed.push(dir),
    detectScreen: () => null,
  };
  return { deps, started, removed, last: () => started.at(-1)! };
}

describe('browser supervisor', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  const options = { url: 'http://127.0.0.1:1/#token=t', mode: 'kiosk' as const, runningAsRoot: false };

  it('restarts a browser that dies, with a fresh profile and a growing pause', async () => {
    const system = fakeSystem();
    const onRelaunch = vi.fn();
    const log = vi.fn();
    const supervisor = superviseBrowser('/usr/bin/chromium', { ...options, onRelaunch }, log, system.deps);
    expect(system.started).toHaveLength(1);
    expect(system.last().args).toContain('--user-data-dir=/tmp/profile-1');
    vi.advanceTimersByTime(20_000);
    system.last().die(139);
    expect(system.removed).toEqual(['/tmp/profile-1']);
    expect(log).toHaveBeenLastCalledWith('The browser exited (139); starting it again in 1 s.');
    vi.advanceTimersByTime(999);
    expect(system.started).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(system.started).toHaveLength(2);
    expect(onRelaunch).toHaveBeenCalledTimes(1);
    expect(system.last().args).toContain('--user-data-dir=/tmp/profile-2');
    vi.advanceTimersByTime(20_000);
    system.last().die();
    vi.advanceTimersByTime(1999);
    expect(system.started).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(system.started).toHaveLength(3);
    // A long healthy run resets the pause.
    vi.advanceTimersByTime(120_000);
    system.last().die();
    expect(log).toHaveBeenLastCalledWith('The browser exited (1); starting it again in 1 s.');
    await supervisor.stop();
  });

  it('gives up loudly after repeated immediate failures', async () => {
    const system = fakeSystem();
    const onGiveUp = vi.fn();
    const log = vi.fn();
    const supervisor = superviseBrowser('/usr/bin/chromium', { ...options, onGiveUp, policy: { maxQuickFailures: 4 } }, log, system.deps);
    const pauses: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      vi.advanceTimersByTime(200);
      system.last().emit('error', new Error('spawn /usr/bin/chromium EACCES'));
      // Each new browser fails as soon as it is started.
      let waited = 0;
      while (system.started.length === attempt && waited < 60_000) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      pauses.push(waited);
    }
    expect(pauses).toEqual([1000, 2000, 4000, 60_000]);
    expect(system.started).toHaveLength(4);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^GIVING UP: .* 4 times in a row \(last: spawn \/usr\/bin\/chromium EACCES\)/));
    vi.advanceTimersByTime(10 * 60_000);
    expect(system.started).toHaveLength(4);
    await supervisor.stop();
  });

  it('does not give up on a browser that crashes now and then after running a while', async () => {
    const system = fakeSystem();
    const onGiveUp = vi.fn();
    const supervisor = superviseBrowser('/usr/bin/chromium', { ...options, onGiveUp, policy: { maxQuickFailures: 2 } }, () => {}, system.deps);
    for (let i = 0; i < 6; i += 1) {
      vi.advanceTimersByTime(i % 2 === 0 ? 500 : 30_000);
      system.last().die();
      vi.advanceTimersByTime(60_000);
    }
    expect(onGiveUp).not.toHaveBeenCalled();
    expect(system.started).toHaveLength(7);
    await supervisor.stop();
  });

  it('restart() starts a fresh browser at once, for the nightly restart', async () => {
    const system = fakeSystem();
    const onRelaunch = vi.fn();
    const supervisor = superviseBrowser('/usr/bin/chromium', { ...options, onRelaunch }, () => {}, system.deps);
    const first = system.last();
    supervisor.restart();
    expect(first.signals).toEqual(['SIGTERM']);
    await vi.advanceTimersByTimeAsync(0);
    expect(system.started).toHaveLength(2);
    expect(onRelaunch).toHaveBeenCalledTimes(1);
    expect(system.removed).toEqual(['/tmp/profile-1']);
    await supervisor.stop();
  });

  it('stop() ends the browser, kills one that ignores SIGTERM, and restarts nothing', async () => {
    const system = fakeSystem(['SIGKILL']);
    const supervisor = superviseBrowser('/usr/bin/chromium', options, () => {}, system.deps);
    const stopped = supervisor.stop();
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    expect(system.last().signals).toEqual(['SIGTERM', 'SIGKILL']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(system.started).toHaveLength(1);
    expect(system.removed).toEqual(['/tmp/profile-1']);
  });

  it('leaves a closed windowed browser closed', async () => {
    const system = fakeSystem();
    const log = vi.fn();
    const supervisor = superviseBrowser('/usr/bin/chromium', { ...options, mode: 'app' }, log, system.deps);
    system.last().die(0);
    vi.advanceTimersByTime(60_000);
    expect(system.started).toHaveLength(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('The browser window was closed'));
    await supervisor.stop();
  });
});

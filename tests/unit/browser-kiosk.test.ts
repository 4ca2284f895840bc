import { describe, expect, it } from 'vitest';
import { findBrowser, kioskBrowserArgs, parseXrandrScreen } from '../../electron/cli/browser-kiosk';
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

import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, isAppUrl } from '../../electron/main/app-protocol';
import {
  blockedShortcut,
  createCloseGuard,
  denyAllPermissions,
  guardWebContents,
  lockNavigation,
  lockSession,
  type GuardedContents,
  type GuardedSession,
  type KeyInput,
} from '../../electron/main/window-guards';

type Listener = (...args: never[]) => void;

/** A WebContents stand-in that records listeners and lets the test fire Electron's events. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on(name: string, listener: Listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      openHandler = handler;
    },
    setVisualZoomLevelLimits: vi.fn(async (_min: number, _max: number) => {}),
    setZoomLevel: vi.fn((_level: number) => {}),
    closeDevTools: vi.fn(() => {}),
  } satisfies GuardedContents;
  const emit = (name: string, ...args: unknown[]) => {
    for (const listener of listeners.get(name) ?? []) (listener as (...a: unknown[]) => void)(...args);
  };
  const preventable = () => ({ preventDefault: vi.fn() });
  return { contents, emit, preventable, open: (url: string) => openHandler!({ url }) };
}

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key: k,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

describe('navigation guard', () => {
  it('blocks navigation and redirects away from the app, allows it inside', () => {
    const { contents, emit, preventable } = fakeContents();
    const log = vi.fn();
    lockNavigation(contents, log);
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'kiosk://app.evil/', 'kiosk://x@app/', 'javascript:alert(1)']) {
        const event = preventable();
        emit(name, event, url);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled();
      }
      const inside = preventable();
      emit(name, inside, `${APP_ORIGIN}/index.html#/admin`);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    expect(log).toHaveBeenCalledWith('Blocked navigation to https://example.com/');
  });

  it('treats look-alike origins as foreign, parsing the URL rather than matching a prefix', () => {
    expect(isAppUrl(`${APP_ORIGIN}/`)).toBe(true);
    expect(isAppUrl(APP_ORIGIN)).toBe(true);
    expect(isAppUrl('kiosk://app.evil/')).toBe(false);
    expect(isAppUrl('kiosk://application/')).toBe(false);
    expect(isAppUrl('kiosk://user:pw@app/')).toBe(false);
    expect(isAppUrl('http://app/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('window-open handler and <webview>', () => {
  it('denies every new window, even one for the app itself', () => {
    const { contents, open } = fakeContents();
    const log = vi.fn();
    lockNavigation(contents, log);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open(`${APP_ORIGIN}/`)).toEqual({ action: 'deny' });
    expect(log).toHaveBeenCalledWith('Blocked a new window for https://example.com/');
  });

  it('refuses to attach a <webview>', () => {
    const { contents, emit, preventable } = fakeContents();
    lockNavigation(contents, () => {});
    const event = preventable();
    emit('will-attach-webview', event, {}, { src: `${APP_ORIGIN}/` });
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('devtools and shortcuts', () => {
  it('names the shortcuts a production kiosk swallows', () => {
    expect(blockedShortcut(key('F12'), true)).toBe('devtools');
    expect(blockedShortcut(key('I', { control: true, shift: true }), true)).toBe('devtools');
    expect(blockedShortcut(key('j', { control: true, shift: true }), true)).toBe('devtools');
    expect(blockedShortcut(key('i', { meta: true, alt: true }), true)).toBe('devtools');
    expect(blockedShortcut(key('r', { control: true }), true)).toBe('reload');
    expect(blockedShortcut(key('R', { control: true, shift: true }), true)).toBe('reload');
    expect(blockedShortcut(key('F5'), true)).toBe('reload');
    expect(blockedShortcut(key('F4', { alt: true }), true)).toBe('close');
    expect(blockedShortcut(key('w', { control: true }), true)).toBe('close');
    expect(blockedShortcut(key('q', { meta: true }), true)).toBe('close');
    expect(blockedShortcut(key('+', { control: true }), true)).toBe('zoom');
    expect(blockedShortcut(key('0', { control: true }), true)).toBe('zoom');
    expect(blockedShortcut(key('p', { control: true }), true)).toBe('print-save-open');
    expect(blockedShortcut(key('F11'), true)).toBe('fullscreen');
    expect(blockedShortcut(key('ArrowLeft', { alt: true }), true)).toBe('history');
  });

  it('lets typing, editing and copy/paste through, and everything through in development', () => {
    for (const input of [key('1'), key('a'), key('Enter'), key('Tab'), key('Backspace'), key('c', { control: true }), key('v', { control: true }), key('ArrowLeft')]) {
      expect(blockedShortcut(input, true), input.key).toBeNull();
    }
    expect(blockedShortcut({ ...key('F12'), type: 'keyUp' }, true)).toBeNull();
    expect(blockedShortcut(key('F12'), false)).toBeNull();
    expect(blockedShortcut(key('r', { control: true }), false)).toBeNull();
  });

  it('prevents blocked keys on before-input-event and closes devtools that open anyway', () => {
    const { contents, emit, preventable } = fakeContents();
    const log = vi.fn();
    guardWebContents(contents, { production: true, log });
    const devtools = preventable();
    emit('before-input-event', devtools, key('F12'));
    expect(devtools.preventDefault).toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('Blocked a devtools shortcut (F12)');
    const typing = preventable();
    emit('before-input-event', typing, key('5'));
    expect(typing.preventDefault).not.toHaveBeenCalled();
    emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalledTimes(1);
  });

  it('leaves devtools alone in development', () => {
    const { contents, emit, preventable } = fakeContents();
    guardWebContents(contents, { production: false, log: () => {} });
    const event = preventable();
    emit('before-input-event', event, key('I', { control: true, shift: true }));
    expect(event.preventDefault).not.toHaveBeenCalled();
    emit('devtools-opened');
    expect(contents.closeDevTools).not.toHaveBeenCalled();
  });
});

describe('zoom', () => {
  it('pins pinch zoom on every load and undoes Ctrl+wheel zoom', () => {
    const { contents, emit } = fakeContents();
    guardWebContents(contents, { production: true, log: () => {} });
    emit('did-finish-load');
    emit('did-finish-load');
    expect(contents.setVisualZoomLevelLimits).toHaveBeenCalledTimes(2);
    expect(contents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    contents.setZoomLevel.mockClear();
    emit('zoom-changed', {}, 'in');
    expect(contents.setZoomLevel).toHaveBeenCalledWith(0);
  });
});

describe('session: permissions and downloads', () => {
  function fakeSession() {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, permission: string) => boolean) | undefined;
    let download: ((event: { preventDefault(): void }, item: { getFilename(): string }) => void) | undefined;
    const session: GuardedSession = {
      setPermissionRequestHandler: (h) => void (request = h),
      setPermissionCheckHandler: (h) => void (check = h),
      on: (_name, listener) => void (download = listener),
    };
    return { session, request: () => request!, check: () => check!, download: () => download! };
  }

  it('refuses every permission request and every permission check', () => {
    const fake = fakeSession();
    const log = vi.fn();
    lockSession(fake.session, log);
    for (const permission of ['media', 'geolocation', 'notifications', 'fullscreen', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      fake.request()({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(fake.check()({}, permission)).toBe(false);
    }
    expect(log).toHaveBeenCalledWith('Refused the permission "media"');
    const direct = vi.fn();
    denyAllPermissions({}, 'media', direct);
    expect(direct).toHaveBeenCalledWith(false);
  });

  it('cancels downloads', () => {
    const fake = fakeSession();
    const log = vi.fn();
    lockSession(fake.session, log);
    const event = { preventDefault: vi.fn() };
    fake.download()(event, { getFilename: () => 'visits.csv' });
    expect(event.preventDefault).toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('Blocked a download of visits.csv');
  });
});

describe('close guard', () => {
  it('keeps the production window open until the app quits on purpose', () => {
    const guard = createCloseGuard({ production: true, log: () => {} });
    const early = { preventDefault: vi.fn() };
    guard.onClose(early);
    expect(early.preventDefault).toHaveBeenCalled();
    guard.allowClose();
    const late = { preventDefault: vi.fn() };
    guard.onClose(late);
    expect(late.preventDefault).not.toHaveBeenCalled();
  });

  it('lets a development window close', () => {
    const event = { preventDefault: vi.fn() };
    createCloseGuard({ production: false, log: () => {} }).onClose(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });
});

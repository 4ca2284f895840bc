import { isAppUrl } from './app-protocol';

/** The part of Electron's events the guards use. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The fields of Electron's `Input` that decide whether a key reaches the page. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/** The slice of a WebContents the guards touch, so tests can pass a fake. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): void;
  on(event: 'before-input-event', listener: (event: PreventableEvent, input: KeyInput) => void): void;
  on(event: 'zoom-changed' | 'did-finish-load' | 'devtools-opened', listener: () => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  setVisualZoomLevelLimits(minimumLevel: number, maximumLevel: number): Promise<void>;
  setZoomLevel(level: number): void;
  closeDevTools(): void;
}

export interface GuardOptions {
  /** Packaged build: devtools and the reload/close shortcuts are locked away. A checkout keeps them for development. */
  production: boolean;
  log(line: string): void;
}

/** A visitor can never leave the app: no navigation elsewhere, no new windows, no embedded <webview>. */
export function lockNavigation(contents: GuardedContents, log: (line: string) => void): void {
  const guard = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`Blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.setWindowOpenHandler(({ url }) => {
    log(`Blocked a new window for ${url}`);
    return { action: 'deny' };
  });
  // The app never uses <webview> (webviewTag is off too); refusing the attach covers checklist point 12 outright.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>');
  });
}

const DEVTOOLS_KEYS = new Set(['i', 'j', 'c']);
const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0']);

/**
 * Which key presses a production kiosk swallows, and why (for the log): the ones that would open devtools,
 * reload the page mid-visit (the open visit would be lost), close or quit the window, zoom, print, toggle
 * full screen or walk the history. Plain typing, Tab, Enter and copy/paste still reach the page: the admin
 * screen needs them. Staff leave through the admin screen, not a shortcut.
 */
export function blockedShortcut(input: KeyInput, production: boolean): string | null {
  if (!production || input.type !== 'keyDown') return null;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (key === 'f12' || (command && input.shift && DEVTOOLS_KEYS.has(key)) || (input.meta && input.alt && key === 'i')) return 'devtools';
  if (key === 'f5' || key === 'browserrefresh' || (command && key === 'r')) return 'reload';
  if ((input.alt && key === 'f4') || (command && (key === 'w' || key === 'q' || key === 'f4'))) return 'close';
  if (command && ZOOM_KEYS.has(key)) return 'zoom';
  if (command && (key === 'p' || key === 's' || key === 'o')) return 'print-save-open';
  if (key === 'f11') return 'fullscreen';
  if (key === 'browserback' || key === 'browserforward' || (input.alt && (key === 'arrowleft' || key === 'arrowright'))) return 'history';
  return null;
}

/**
 * Everything a kiosk page must not do to its own window: the navigation lock, the shortcuts above, zoom
 * (pinch and Ctrl+wheel; Chromium forgets the pinch limits on navigation, so they are set on each load)
 * and, in production, devtools even if something manages to open them.
 */
export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  lockNavigation(contents, options.log);
  contents.on('before-input-event', (event, input) => {
    const reason = blockedShortcut(input, options.production);
    if (reason) {
      event.preventDefault();
      options.log(`Blocked a ${reason} shortcut (${input.key})`);
    }
  });
  const pinZoom = () => {
    contents.setZoomLevel(0);
    void contents.setVisualZoomLevelLimits(1, 1);
  };
  contents.on('did-finish-load', pinZoom);
  contents.on('zoom-changed', () => contents.setZoomLevel(0));
  if (options.production) {
    contents.on('devtools-opened', () => {
      contents.closeDevTools();
      options.log('Closed devtools, which are not available in the packaged kiosk');
    });
  }
}

/** The slice of a Session the lock touches. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent, item: { getFilename(): string }) => void): void;
}

/** Camera, microphone, location, notifications…: the kiosk needs none, so every request is refused. */
export function denyAllPermissions(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/**
 * Permissions are refused both when asked (request) and when a page merely checks (check), so no API
 * even appears available; downloads are cancelled, since a kiosk has no one to hand a file to.
 */
export function lockSession(session: GuardedSession, log: (line: string) => void): void {
  session.setPermissionRequestHandler((webContents, permission, callback) => {
    log(`Refused the permission "${permission}"`);
    denyAllPermissions(webContents, permission, callback);
  });
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event, item) => {
    event.preventDefault();
    log(`Blocked a download of ${item.getFilename()}`);
  });
}

/**
 * The kiosk window closes only when the app quits on purpose (the admin screen's exit, a restart, the
 * system shutting down); Alt+F4 or a window manager's close button otherwise does nothing in production.
 */
export function createCloseGuard(options: GuardOptions): { onClose(event: PreventableEvent): void; allowClose(): void } {
  let allowed = !options.production;
  return {
    onClose(event) {
      if (allowed) return;
      event.preventDefault();
      options.log('Refused to close the kiosk window (use the admin screen to exit)');
    },
    allowClose() {
      allowed = true;
    },
  };
}

import { isAppUrl } from './app-protocol';

/** The slice of a WebContents the guards touch, so tests can pass a fake. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url?: string }, url: string) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** A visitor can never leave the app: no navigation elsewhere, no new windows. */
export function lockNavigation(contents: GuardedContents, log: (line: string) => void): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
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
}

/** Camera, microphone, location, notifications…: the kiosk needs none, so every request is refused. */
export function denyAllPermissions(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

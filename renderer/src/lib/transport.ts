import { unwrapEnvelope, type Envelope } from '../../../electron/common/envelope';
import { createHttpKioskApi } from '../../../electron/common/http-transport';
import type { KioskApi } from '../../../electron/common/kiosk-api';
import { KIOSK_METHODS } from '../../../electron/common/kiosk-methods';

type Bridge = Record<string, (...args: unknown[]) => Promise<Envelope<unknown>>>;
const TOKEN_KEY = 'kiosk-token';

/** The loopback host hands the token over in the URL fragment; keep it for reloads, then hide it. */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Electron's preload bridge when present, else the loopback host: the rest of the app cannot tell. */
export function connectKioskApi(): KioskApi {
  const bridge = (window as unknown as { kiosk?: Bridge }).kiosk;
  if (bridge) {
    return Object.fromEntries(
      KIOSK_METHODS.map((m) => [m, async (...args: unknown[]) => unwrapEnvelope(await bridge[m]!(...args))]),
    ) as unknown as KioskApi;
  }
  return createHttpKioskApi({ baseUrl: '', token: takeToken() });
}

/** Same path in both transports: the host serves /media/ and Electron's kiosk://app/ protocol does too. */
export function mediaUrl(pack: { id: string; version: string }, path: string): string {
  return `/media/${encodeURIComponent(pack.id)}/${encodeURIComponent(pack.version)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

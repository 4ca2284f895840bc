import { randomBytes } from 'node:crypto';
import type { AdminSession } from '../../common/kiosk-api';
import { isoUtc, type Clock } from '../clock';

/** Five idle minutes: a kiosk left in admin by staff who walked away locks itself before a visitor comes. */
export const SESSION_IDLE_MS = 5 * 60_000;
/** Only a handful of staff devices can ever hold a session; the oldest goes when more are opened. */
const MAX_SESSIONS = 16;

export interface AdminSessions {
  open(): AdminSession;
  /** Validates the token and slides its expiry; null when it is unknown, expired or ended. */
  touch(token: string): AdminSession | null;
  end(token: string): void;
  /** Ends every session except `keep` (after a PIN change, the one that changed it stays). */
  endAllExcept(keep: string | null): void;
}

/**
 * Admin sessions, in memory only: a restart ends them all, which is what staff expect of a locked kiosk.
 * Expiry runs on the monotonic clock, so a wall-clock jump neither ends a session early nor keeps it alive.
 */
export function createAdminSessions(clock: Clock, idleMs = SESSION_IDLE_MS): AdminSessions {
  // Token → monotonic time of last use.
  const lastUsed = new Map<string, number>();
  const view = (token: string): AdminSession => ({ session: token, expiresAt: isoUtc(clock.now() + idleMs) });
  const expired = (at: number) => clock.monotonic() - at >= idleMs;
  const sweep = () => {
    for (const [token, at] of lastUsed) if (expired(at)) lastUsed.delete(token);
  };
  return {
    open() {
      sweep();
      // Map keeps insertion order, so the first key is the session opened (or touched) longest ago.
      while (lastUsed.size >= MAX_SESSIONS) lastUsed.delete(lastUsed.keys().next().value as string);
      // 32 bytes in base64url is 43 characters of [A-Za-z0-9_-], what the contract's session schema accepts.
      const token = randomBytes(32).toString('base64url');
      lastUsed.set(token, clock.monotonic());
      return view(token);
    },
    touch(token) {
      const at = lastUsed.get(token);
      if (at === undefined) return null;
      lastUsed.delete(token);
      if (expired(at)) return null;
      lastUsed.set(token, clock.monotonic());
      return view(token);
    },
    end(token) {
      lastUsed.delete(token);
    },
    endAllExcept(keep) {
      for (const token of [...lastUsed.keys()]) if (token !== keep) lastUsed.delete(token);
    },
  };
}

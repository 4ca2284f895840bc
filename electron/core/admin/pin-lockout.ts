import { PIN_FREE_ATTEMPTS } from '../../common/admin-policy';

/**
 * The PIN lockout, as pure functions of the persisted state and the time, so a restart (the state lives in
 * admin_pin) cannot reset it and tests need no waiting.
 */
export interface LockoutState {
  /** Wrong PINs since the last right one. */
  failedAttempts: number;
  /** Wall time (ms) until which every attempt is refused; null when none is in force. */
  lockedUntil: number | null;
}

export const FREE_ATTEMPTS = PIN_FREE_ATTEMPTS;
export const FIRST_LOCKOUT_MS = 30_000;
export const MAX_LOCKOUT_MS = 60 * 60_000;

export const UNLOCKED: LockoutState = { failedAttempts: 0, lockedUntil: null };

/** The lockout that the n-th wrong attempt starts: none for the first two, 30 s at the third, doubling to 1 h. */
export function lockoutAfter(failedAttempts: number): number {
  if (failedAttempts < FREE_ATTEMPTS) return 0;
  const doublings = failedAttempts - FREE_ATTEMPTS;
  // Past 7 doublings the cap is reached anyway; stopping there keeps the power finite.
  return Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** Math.min(doublings, 7));
}

/**
 * When the lockout in force ends, or null. Kiosks have no NTP: if the wall clock was set back, the stored
 * end could lie hours ahead, so it is capped at what the attempt count allows from now.
 */
export function lockedUntil(state: LockoutState, now: number): number | null {
  if (state.lockedUntil === null || state.lockedUntil <= now) return null;
  return Math.min(state.lockedUntil, now + lockoutAfter(state.failedAttempts));
}

export function afterWrongPin(state: LockoutState, now: number): LockoutState {
  const failedAttempts = state.failedAttempts + 1;
  const wait = lockoutAfter(failedAttempts);
  return { failedAttempts, lockedUntil: wait > 0 ? now + wait : null };
}

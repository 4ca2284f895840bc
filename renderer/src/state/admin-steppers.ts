/**
 * Pure helpers behind the admin's − / + controls. Touch screens have no good number entry, so every
 * number is stepped through values staff actually want, clamped to what the settings schema accepts.
 */

/** Idle timeout choices (seconds), within kioskSettingsSchema's 5–3600. */
export const IDLE_TIMEOUT_STEPS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 600, 900, 1200, 1800, 3600];
/** Countdown choices (seconds), within 3–60. */
export const IDLE_COUNTDOWN_STEPS = [3, 5, 10, 15, 20, 30, 45, 60];

/**
 * The next choice above (+1) or below (-1) `value`. A value between choices (set by the CLI, say) moves
 * to the nearest choice in that direction, so one tap never skips past what staff expect.
 */
export function stepThrough(steps: readonly number[], value: number, direction: 1 | -1): number {
  if (direction > 0) return steps.find((s) => s > value) ?? steps[steps.length - 1] ?? value;
  return [...steps].reverse().find((s) => s < value) ?? steps[0] ?? value;
}

/** Volume in tenths, kept exact so 0.7 + 0.1 never shows as 79 %. */
export function stepVolume(volume: number, direction: 1 | -1): number {
  const tenths = Math.round(volume * 10) + direction;
  return Math.min(10, Math.max(0, tenths)) / 10;
}

/** A nightly restart time "HH:MM" moved by hours or by quarter hours, wrapping around midnight. */
export function stepClock(time: string, unit: 'hour' | 'minute', direction: 1 | -1): string {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  let minutes = match ? Number(match[1]) * 60 + Number(match[2]) : 3 * 60;
  if (unit === 'hour') minutes += direction * 60;
  else {
    // Snap to the quarter first, so 02:07 + goes to 02:15 rather than 02:22.
    const snapped = direction > 0 ? Math.floor(minutes / 15) * 15 + 15 : Math.ceil(minutes / 15) * 15 - 15;
    minutes = snapped;
  }
  minutes = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The nightly restart a kiosk gets when staff switch it on: early morning, when nobody visits. */
export const DEFAULT_NIGHTLY_RESTART = '03:00';

/** A calendar date "YYYY-MM-DD" moved by whole days (UTC arithmetic, so no daylight-saving surprises). */
export function stepDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const moved = new Date(Date.UTC(y, m - 1, d + days));
  return moved.toISOString().slice(0, 10);
}

/** The local calendar date of `at`, as the export's date range wants it. */
export function localDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

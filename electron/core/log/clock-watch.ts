import { isoUtc, type Clock } from '../clock';

/**
 * A wall-clock move the monotonic clock did not make. Stored times are never corrected: the jump is
 * recorded so a report can explain odd dates, while ordering stays by seq and durations by monotonic time.
 */
export interface ClockJump {
  /** When the jump was noticed (the wall clock's own reading, so after a jump it is the new time). */
  at: string;
  /** How far the wall clock moved since the previous reading (negative: it went back). */
  wallDeltaMs: number;
  /** How far the monotonic clock moved meanwhile; null across a restart, where it is unknown. */
  monotonicDeltaMs: number | null;
  /** Where the wall clock should have been (the previous reading plus the monotonic time since). */
  from: string;
  /** What the wall clock said instead. */
  to: string;
}

export interface ClockWatch {
  /** Takes a reading (call it at every write); returns the jump if the two clocks disagreed since the last. */
  observe(): ClockJump | null;
  /** The newest jump seen, at start or since. */
  latest(): ClockJump | null;
}

export interface ClockWatchOptions {
  /** Disagreement between wall and monotonic deltas that counts as a jump (drift stays below it). */
  thresholdMs?: number;
  /** `at` of the newest event already stored: a wall clock earlier than it at start went back while off. */
  newestEventAt?: string | null;
}

export const CLOCK_JUMP_THRESHOLD_MS = 2 * 60_000;
/** Rounding and the time between reading the clock and writing a row; anything beyond is a real step back. */
const RESTART_TOLERANCE_MS = 1_000;

/**
 * Compares the wall clock with the monotonic clock between two readings. Note that monotonic time stops
 * while a machine sleeps, so a suspended PC shows up as a forward jump too, which is worth recording.
 */
export function createClockWatch(clock: Clock, options: ClockWatchOptions = {}): ClockWatch & { atStart: ClockJump | null } {
  const threshold = options.thresholdMs ?? CLOCK_JUMP_THRESHOLD_MS;
  let previous = { wall: clock.now(), mono: clock.monotonic() };
  let latest: ClockJump | null = null;

  const newestMs = options.newestEventAt ? Date.parse(options.newestEventAt) : Number.NaN;
  if (Number.isFinite(newestMs) && newestMs - previous.wall > RESTART_TOLERANCE_MS) {
    latest = {
      at: isoUtc(previous.wall),
      wallDeltaMs: previous.wall - newestMs,
      monotonicDeltaMs: null,
      from: isoUtc(newestMs),
      to: isoUtc(previous.wall),
    };
  }

  return {
    atStart: latest,
    observe() {
      const now = { wall: clock.now(), mono: clock.monotonic() };
      const wallDeltaMs = now.wall - previous.wall;
      const monotonicDeltaMs = now.mono - previous.mono;
      const expected = previous.wall + monotonicDeltaMs;
      previous = now;
      if (Math.abs(wallDeltaMs - monotonicDeltaMs) <= threshold) return null;
      latest = { at: isoUtc(now.wall), wallDeltaMs, monotonicDeltaMs, from: isoUtc(expected), to: isoUtc(now.wall) };
      return latest;
    },
    latest: () => latest,
  };
}

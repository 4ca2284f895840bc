/** Wall time for records and a monotonic clock for durations; injected so tests can control both. */
export interface Clock {
  /** Milliseconds since the epoch (may jump: kiosks have no NTP). */
  now(): number;
  /** Milliseconds from an arbitrary origin that never goes backwards. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => Number(process.hrtime.bigint() / 1_000_000n),
};

/** ISO 8601 in UTC, the form every stored time takes. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Minutes east of UTC at that moment, kept beside UTC times so reports can show local hours. */
export function utcOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

import type { Clock } from '../../electron/core/clock';

/** A clock the test moves by hand: wall time and monotonic time advance together unless told otherwise. */
export class FakeClock implements Clock {
  constructor(
    public wallMs = Date.parse('2026-11-30T08:00:00.000Z'),
    public monoMs = 1_000,
  ) {}
  now(): number {
    return this.wallMs;
  }
  monotonic(): number {
    return this.monoMs;
  }
  advance(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }
}

/**
 * The hidden way into the staff admin: several quick taps in a small corner. Visitors tap corners by
 * chance now and then, but not five times within three seconds; staff learn the gesture once.
 */
export interface CornerTapRule {
  taps: number;
  withinMs: number;
}
export const ADMIN_GESTURE: CornerTapRule = { taps: 5, withinMs: 3000 };
/** Side of the invisible square in the top-left corner, in CSS pixels: a fingertip, not a visible button. */
export const ADMIN_CORNER_PX = 72;

export class CornerTapCounter {
  private times: number[] = [];

  constructor(private readonly rule: CornerTapRule = ADMIN_GESTURE) {}

  /** Records a tap at `at` (ms); true when it completes the gesture, which then starts over. */
  tap(at: number): boolean {
    // Only taps inside the window count: slow tapping never adds up, however long it goes on.
    this.times = this.times.filter((t) => at - t < this.rule.withinMs && at >= t);
    this.times.push(at);
    if (this.times.length < this.rule.taps) return false;
    this.times = [];
    return true;
  }

  reset(): void {
    this.times = [];
  }
}

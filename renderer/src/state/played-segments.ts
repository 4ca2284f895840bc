/** Stretches closer than this count as continuous: resuming after a pause lands a few frames off. */
const ADJACENT_GAP_S = 0.25;
/** Subtracting decimal positions can land a hair above the gap, e.g. 4.15 - 3.9. */
const FLOAT_SLACK = 1e-9;

const toTenths = (seconds: number) => Math.round(seconds * 10) / 10;

/**
 * The parts of a video a visitor actually watched, for the report's holding power: seeking past a
 * stretch does not count it, and watching it twice counts it once.
 */
export class PlayedSegments {
  #openedAt: number | null = null;
  #closed: [number, number][] = [];

  start(at: number): void {
    // A repeated play event while already playing keeps the stretch's first start.
    if (this.#openedAt !== null || !isPosition(at)) return;
    this.#openedAt = at;
  }

  stop(at: number): void {
    if (this.#openedAt === null || !isPosition(at)) return;
    const start = this.#openedAt;
    this.#openedAt = null;
    const end = Math.max(start, at);
    // An empty stretch (paused at once, or a stop behind its start) would only pad the logged list.
    if (toTenths(end) > toTenths(start)) this.#closed.push([start, end]);
  }

  get segments(): [number, number][] {
    const sorted = [...this.#closed].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of sorted) {
      const last = merged.at(-1);
      if (last && start - last[1] <= ADJACENT_GAP_S + FLOAT_SLACK) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged.map(([start, end]) => [toTenths(start), toTenths(end)]);
  }

  coveredSeconds(): number {
    return toTenths(this.segments.reduce((sum, [start, end]) => sum + (end - start), 0));
  }

  reset(): void {
    this.#openedAt = null;
    this.#closed = [];
  }
}

/** The visit log refuses segments with such bounds, which would lose the whole event. */
function isPosition(at: number): boolean {
  return Number.isFinite(at) && at >= 0;
}

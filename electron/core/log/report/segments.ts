/** A played stretch of a video, [start, end] in seconds. */
export type Segment = readonly [number, number];

/** Stretches closer than this count as continuous (the player resumes a few frames off). */
const ADJACENT_GAP_S = 0.25;

/** The union of played stretches, sorted and merged: watching a part twice counts it once. */
export function unionSegments(segments: readonly Segment[]): [number, number][] {
  const sorted = segments.filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && e > s).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start - last[1] <= ADJACENT_GAP_S) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Seconds covered by the union, clipped to [0, length]. */
export function coveredSeconds(union: readonly Segment[], length: number): number {
  let total = 0;
  for (const [s, e] of union) total += Math.max(0, Math.min(e, length) - Math.max(s, 0));
  return total;
}

/**
 * Rebuilds what one visitor watched of one video from its events in seq order: play … pause is a
 * stretch, a seek closes the stretch where it left and opens one where it landed, and `video.ended`
 * carries the player's own list, which is added as it is. A stretch still open when the events run out
 * (a crash) is dropped: where it ended is unknown.
 */
export class ViewingSegments {
  private playingFrom: number | null = null;
  private readonly stretches: Segment[] = [];
  /** The length the player reported, when it reached the end. */
  length: number | null = null;
  /** The furthest position seen, the best estimate of the length when no visitor ever reached the end. */
  furthest = 0;
  ended = false;

  play(position: number): void {
    this.playingFrom ??= position;
    this.see(position);
  }

  pause(position: number): void {
    if (this.playingFrom !== null) this.stretches.push([this.playingFrom, position]);
    this.playingFrom = null;
    this.see(position);
  }

  seek(from: number, to: number): void {
    if (this.playingFrom !== null) {
      this.stretches.push([this.playingFrom, from]);
      this.playingFrom = to;
    }
    this.see(Math.max(from, to));
  }

  end(duration: number, segments: readonly Segment[]): void {
    this.stretches.push(...segments);
    this.playingFrom = null;
    this.length = Math.max(this.length ?? 0, duration);
    this.ended = true;
    this.see(duration);
  }

  union(): [number, number][] {
    return unionSegments(this.stretches);
  }

  private see(position: number): void {
    if (Number.isFinite(position)) this.furthest = Math.max(this.furthest, position);
  }
}

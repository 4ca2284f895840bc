import { describe, expect, it } from 'vitest';
import { PlayedSegments } from '../../renderer/src/state/played-segments';

describe('PlayedSegments', () => {
  it('counts only what was played around a seek', () => {
    const played = new PlayedSegments();
    played.start(0);
    played.stop(10); // seeking away
    played.start(30);
    played.stop(40);
    expect(played.segments).toEqual([[0, 10], [30, 40]]);
    expect(played.coveredSeconds()).toBe(20);
  });

  it('counts a replayed stretch once, whatever order it was played in', () => {
    const played = new PlayedSegments();
    played.start(20);
    played.stop(35);
    played.start(5);
    played.stop(25);
    played.start(8);
    played.stop(12);
    expect(played.segments).toEqual([[5, 35]]);
    expect(played.coveredSeconds()).toBe(30);
  });

  it('merges stretches at most 0.25 s apart and keeps wider gaps', () => {
    const played = new PlayedSegments();
    played.start(0);
    played.stop(10);
    played.start(10.25);
    played.stop(20);
    played.start(20.1);
    played.stop(25);
    played.start(25.6);
    played.stop(30);
    expect(played.segments).toEqual([[0, 25], [25.6, 30]]);
  });

  it('merges a pause-and-resume whose decimal positions differ by the gap exactly', () => {
    const played = new PlayedSegments();
    played.start(0);
    played.stop(3.9);
    played.start(4.15); // 4.15 - 3.9 is a hair above 0.25 in floating point
    played.stop(12);
    expect(played.segments).toEqual([[0, 12]]);
  });

  it('rounds bounds to tenths of a second', () => {
    const played = new PlayedSegments();
    played.start(1.234);
    played.stop(7.891);
    expect(played.segments).toEqual([[1.2, 7.9]]);
    expect(played.coveredSeconds()).toBe(6.7);
  });

  it('ignores a stop without a start, and a second stop', () => {
    const played = new PlayedSegments();
    played.stop(10);
    played.start(12);
    played.stop(15);
    played.stop(30);
    expect(played.segments).toEqual([[12, 15]]);
  });

  it('ends a backwards stop at its start, adding nothing', () => {
    const played = new PlayedSegments();
    played.start(10);
    played.stop(4);
    expect(played.segments).toEqual([]);
    expect(played.coveredSeconds()).toBe(0);
    played.start(4);
    played.stop(6);
    expect(played.segments).toEqual([[4, 6]]);
  });

  it('keeps the first start when play is reported twice', () => {
    const played = new PlayedSegments();
    played.start(3);
    played.start(3.2);
    played.stop(9);
    expect(played.segments).toEqual([[3, 9]]);
  });

  it('leaves a stretch still playing out of the union', () => {
    const played = new PlayedSegments();
    played.start(0);
    played.stop(5);
    played.start(50);
    expect(played.segments).toEqual([[0, 5]]);
  });

  it('ignores positions the visit log would refuse', () => {
    const played = new PlayedSegments();
    played.start(Number.NaN);
    played.stop(5);
    played.start(-1);
    played.stop(5);
    played.start(1);
    played.stop(Number.POSITIVE_INFINITY);
    played.stop(4);
    expect(played.segments).toEqual([[1, 4]]);
  });

  it('forgets everything on reset', () => {
    const played = new PlayedSegments();
    played.start(0);
    played.stop(10);
    played.start(20);
    played.reset();
    played.stop(30);
    expect(played.segments).toEqual([]);
    expect(played.coveredSeconds()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { decideRange } from '../../electron/core/media/byte-range';

describe('decideRange', () => {
  it.each([
    [undefined, 1000, { status: 200, start: 0, end: 999 }],
    ['bytes=0-499', 1000, { status: 206, start: 0, end: 499 }],
    ['bytes=500-', 1000, { status: 206, start: 500, end: 999 }],
    ['bytes=-100', 1000, { status: 206, start: 900, end: 999 }],
    ['bytes=900-5000', 1000, { status: 206, start: 900, end: 999 }],
    ['bytes=0-1,5-9', 1000, { status: 206, start: 0, end: 1 }],
    ['bytes=1000-', 1000, { status: 416 }],
    ['bytes=5-2', 1000, { status: 416 }],
    ['bytes=-0', 1000, { status: 416 }],
    ['bytes=-', 1000, { status: 416 }],
    ['items=0-5', 1000, { status: 200, start: 0, end: 999 }],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(decideRange(header, size)).toEqual(expected);
  });
});

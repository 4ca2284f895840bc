/**
 * HTTP Range for one file (RFC 9110 §14): what a video element needs to seek. Shared by the loopback host
 * and Electron's media protocol. Multiple ranges are answered with the first, which browsers accept.
 */
export type RangeDecision =
  | { status: 200; start: 0; end: number }
  | { status: 206; start: number; end: number }
  | { status: 416 };

export function decideRange(header: string | null | undefined, size: number): RangeDecision {
  const whole = { status: 200 as const, start: 0 as const, end: size - 1 };
  if (!header) return whole;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/.exec(header.trim());
  if (!match) return whole;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { status: 416 };
  let start: number;
  let end: number;
  if (first === '') {
    // "bytes=-N": the last N bytes.
    const suffix = Number(last);
    if (suffix === 0) return { status: 416 };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return { status: 416 };
  return { status: 206, start, end };
}

export interface VttProblem {
  line: number;
  code: 'vtt-header' | 'vtt-timing' | 'vtt-order' | 'vtt-empty-cue' | 'vtt-no-cues' | 'vtt-encoding';
}

/** Times in seconds. */
export interface VttCue {
  start: number;
  end: number;
  text: string;
}

const CR = 0x0d;
const LF = 0x0a;
const LINE_BREAK = /\r\n|\r|\n/;
const HEADER_LINE = /^WEBVTT(?:[ \t].*)?$/;
const SKIPPED_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$/;
// Hours may have any number of digits, as in browsers' parsers; minutes and seconds are checked to be 59 or less.
const TIMESTAMP = String.raw`(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})`;
// Anything after the end time must be set off by whitespace: those are the cue settings.
const TIMING_LINE = new RegExp(String.raw`^${TIMESTAMP}[ \t]*-->[ \t]*${TIMESTAMP}(?:[ \t].*)?$`);

/**
 * Parses WebVTT the way the W3C parser splits it into blocks, and reports what would make a caption go missing or
 * show at the wrong time. Every cue with a readable timing line is returned, even one that also has a problem.
 */
export function parseWebVtt(bytes: Uint8Array): { cues: VttCue[]; problems: VttProblem[] } {
  let text: string;
  try {
    // The decoder drops one leading BOM, as the spec asks.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { cues: [], problems: [{ line: firstUndecodableLine(bytes), code: 'vtt-encoding' }] };
  }
  return parseLines(text.split(LINE_BREAK));
}

function parseLines(lines: readonly string[]): { cues: VttCue[]; problems: VttProblem[] } {
  const cues: VttCue[] = [];
  const problems: VttProblem[] = [];
  const report = (index: number, code: VttProblem['code']) => problems.push({ line: index + 1, code });

  if (!HEADER_LINE.test(lines[0] ?? '')) return { cues, problems: [{ line: 1, code: 'vtt-header' }] };
  let i = 1;
  // Lines straight under the signature still belong to the header, so a cue there without a blank line before it is lost.
  for (; i < lines.length && lines[i] !== ''; i++) if (lines[i]?.includes('-->')) report(i, 'vtt-header');

  while (i < lines.length) {
    const first = lines[i] ?? '';
    if (first === '') {
      i++;
      continue;
    }
    if (SKIPPED_BLOCK.test(first)) {
      i = blockEnd(lines, i + 1);
      continue;
    }
    // A cue's timing line is its first line, or its second after an identifier.
    const second = lines[i + 1] ?? '';
    const timingIndex = first.includes('-->') ? i : second.includes('-->') ? i + 1 : -1;
    if (timingIndex < 0) {
      // Browsers drop such a block without a word; usually it is cue text cut off by a stray blank line.
      report(second === '' ? i : i + 1, 'vtt-timing');
      i = blockEnd(lines, i + 1);
      continue;
    }
    const textEnd = blockEnd(lines, timingIndex + 1);
    const timing = parseTimingLine(lines[timingIndex] ?? '');
    if (!timing) {
      report(timingIndex, 'vtt-timing');
    } else {
      const previous = cues.at(-1);
      if (timing.end <= timing.start) report(timingIndex, 'vtt-timing');
      if (previous && timing.start < previous.start) report(timingIndex, 'vtt-order');
      if (textEnd === timingIndex + 1) report(timingIndex, 'vtt-empty-cue');
      cues.push({ ...timing, text: lines.slice(timingIndex + 1, textEnd).join('\n') });
    }
    i = textEnd;
  }

  if (cues.length === 0) report(0, 'vtt-no-cues');
  return { cues, problems };
}

/** Where a block that runs on from `from` ends: at a blank line, or at a timing line, which always starts a new cue. */
function blockEnd(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i] !== '' && !lines[i]?.includes('-->')) i++;
  return i;
}

function parseTimingLine(line: string): { start: number; end: number } | null {
  const match = TIMING_LINE.exec(line);
  if (!match) return null;
  const start = timestampSeconds(match.slice(1, 5));
  const end = timestampSeconds(match.slice(5, 9));
  return start === null || end === null ? null : { start, end };
}

function timestampSeconds(groups: readonly (string | undefined)[]): number | null {
  // Only the hours group can be absent; it then reads as 0.
  const [hours = 0, minutes = 0, seconds = 0, millis = 0] = groups.map((group) => Number(group ?? 0));
  if (minutes > 59 || seconds > 59) return null;
  return hours * 3600 + minutes * 60 + seconds + millis / 1000;
}

/** CR and LF never occur inside a UTF-8 sequence, so decoding line by line finds the line with the bad bytes. */
function firstUndecodableLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let at = 0; at <= bytes.length; at++) {
    const byte = bytes[at];
    if (byte !== undefined && byte !== CR && byte !== LF) continue;
    try {
      decoder.decode(bytes.subarray(start, at));
    } catch {
      return line;
    }
    if (byte === CR && bytes[at + 1] === LF) at++;
    start = at + 1;
    line++;
  }
  return line;
}

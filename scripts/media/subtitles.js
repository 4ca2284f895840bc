// Captions from the narration script: sentence cues, timed by sharing each slide's speech time
// in proportion to character count (espeak-ng speaks at a steady rate, so this tracks it well).
import { wrapText, textWidthEm } from './text-wrap.js';

// One caption line: 40 CJK characters; Latin letters count 0.55, so about 72 of them.
const LINE_EM = 40;
const MAX_LINES = 2;

const CLOSERS = '”’」』）)》"\'';

// A full stop after these is not the end of a sentence ("Mr. Li", "No. 5", "U.S.").
const ABBREVIATION = /(?:^|\s)(?:mr|mrs|ms|dr|st|no|vs|e\.g|i\.e|(?:[a-z]\.)*[a-z])$/i;

/** Splits after 。！？ always, and after . ! ? only before a space (so 3.5 and 12.308 stay whole). */
export function splitSentences(text) {
  const chars = [...String(text).replace(/\s+/g, ' ').trim()];
  const out = [];
  let cur = '';
  for (let i = 0; i < chars.length; i++) {
    cur += chars[i];
    const ch = chars[i];
    const next = chars[i + 1];
    const latinEnd = '.!?'.includes(ch) && (next === undefined || next === ' ' || CLOSERS.includes(next));
    const ends = '。！？'.includes(ch) || (latinEnd && !(ch === '.' && next !== undefined && ABBREVIATION.test(cur.slice(0, -1))));
    if (!ends) continue;
    while (chars[i + 1] !== undefined && CLOSERS.includes(chars[i + 1])) cur += chars[++i];
    out.push(cur.trim());
    cur = '';
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Clauses of a sentence, cut after ，；,; (a Latin comma or semicolon only before a space, so 1,000 stays whole). */
function splitClauses(sentence) {
  const chars = [...sentence];
  const out = [];
  let cur = '';
  for (let i = 0; i < chars.length; i++) {
    cur += chars[i];
    const ch = chars[i];
    const next = chars[i + 1];
    if ('，；'.includes(ch) || (',;'.includes(ch) && (next === undefined || next === ' '))) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function isStub(text) {
  return textWidthEm(text) < LINE_EM * 0.3;
}

function join(a, b) {
  if (!a) return b;
  // Latin clauses need their space back; Chinese ones do not.
  return /[\x21-\x7e]$/.test(a) && /^[\x21-\x7e]/.test(b) ? `${a} ${b}` : `${a}${b}`;
}

/**
 * The caption texts for one narration, each fitting MAX_LINES lines of LINE_EM.
 * @param {string} narration
 * @returns {string[][]} cues, each as its lines
 */
export function captionCues(narration) {
  const cues = [];
  for (const sentence of splitSentences(narration)) {
    if (textWidthEm(sentence) <= LINE_EM) {
      cues.push(sentence);
      continue;
    }
    const pieces = [];
    let acc = '';
    for (const clause of splitClauses(sentence)) {
      const merged = join(acc, clause);
      // A stub like "领事保护与协助，" would flash by on its own; it rides along even if that takes two lines.
      if (!acc || textWidthEm(merged) <= LINE_EM || (isStub(acc) && textWidthEm(merged) <= MAX_LINES * LINE_EM)) {
        acc = merged;
      } else {
        pieces.push(acc);
        acc = clause;
      }
    }
    const prev = pieces[pieces.length - 1];
    if (prev !== undefined && isStub(acc) && textWidthEm(join(prev, acc)) <= MAX_LINES * LINE_EM) {
      pieces[pieces.length - 1] = join(prev, acc);
    } else if (acc) {
      pieces.push(acc);
    }
    cues.push(...pieces);
  }
  // A clause with no comma can still be too long: cut it at line breaks, two lines per cue.
  return cues.flatMap((cue) => {
    const lines = wrapText(cue, LINE_EM);
    const groups = [];
    for (let i = 0; i < lines.length; i += MAX_LINES) groups.push(balance(lines.slice(i, i + MAX_LINES)));
    return groups;
  });
}

/** Re-wraps a two-line cue as evenly as it will go, so no single word dangles on the second line. */
function balance(lines) {
  if (lines.length < 2) return lines;
  const text = join(lines[0], lines[1]);
  for (let width = Math.ceil(textWidthEm(text) / 2); width < LINE_EM; width += 0.5) {
    const even = wrapText(text, width);
    if (even.length <= lines.length) return even;
  }
  return lines;
}

function weight(lines) {
  return lines.join('').replace(/\s/g, '').length || 1;
}

/**
 * Cues for one slide: the speech time is shared by character count; the last cue stays up
 * through the pause so captions do not blink off between sentences and slides.
 * @returns {{ start: number, end: number, lines: string[] }[]}
 */
export function timeSlideCues(narration, start, speechSeconds, slideSeconds) {
  const cues = captionCues(narration);
  const total = cues.reduce((s, c) => s + weight(c), 0);
  let acc = 0;
  return cues.map((lines, i) => {
    const from = start + (speechSeconds * acc) / total;
    acc += weight(lines);
    const to = i === cues.length - 1 ? start + slideSeconds : start + (speechSeconds * acc) / total;
    return { start: from, end: to, lines };
  });
}

function timestamp(seconds) {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3600000);
  const m = Math.floor(ms / 60000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

function escapeCueText(line) {
  return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** @param {{ start: number, end: number, lines: string[] }[]} cues */
export function toWebVtt(cues) {
  const blocks = cues.map(
    (c, i) => `${i + 1}\n${timestamp(c.start)} --> ${timestamp(c.end)}\n${c.lines.map(escapeCueText).join('\n')}`,
  );
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

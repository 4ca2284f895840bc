// Greedy line wrapping for mixed Chinese/Latin text, measured in em with deliberately generous
// widths so the real glyphs always end up narrower than the box we wrapped for.

const WIDE_EM = 1.0;
const NARROW_EM = 0.55;

// Chinese typesetting forbids these at the start of a line, so they travel with the previous char.
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〉”’…—,.;:!?)]}%']);

export function isWide(ch) {
  const cp = ch.codePointAt(0);
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function charWidthEm(ch) {
  return isWide(ch) ? WIDE_EM : NARROW_EM;
}

export function textWidthEm(text) {
  let w = 0;
  for (const ch of text) w += charWidthEm(ch);
  return w;
}

/** Words of Latin text stay whole; every wide character is its own break opportunity. */
function tokenize(text) {
  const tokens = [];
  let word = '';
  const flushWord = () => {
    if (word) tokens.push({ text: word, space: false });
    word = '';
  };
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      flushWord();
      const last = tokens[tokens.length - 1];
      if (!last || !last.space) tokens.push({ text: ' ', space: true });
    } else if (isWide(ch)) {
      flushWord();
      tokens.push({ text: ch, space: false });
    } else {
      word += ch;
    }
  }
  flushWord();
  return tokens;
}

function splitLongWord(word, maxEm) {
  const parts = [];
  let cur = '';
  for (const ch of word) {
    if (cur && textWidthEm(cur + ch) > maxEm) {
      parts.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}

/**
 * Wraps `text` into lines no wider than `maxEm` (font-size units). Explicit newlines are kept.
 * @param {string} text
 * @param {number} maxEm
 * @returns {string[]}
 */
export function wrapText(text, maxEm) {
  const out = [];
  for (const paragraph of String(text).split(/\r?\n/)) {
    out.push(...wrapParagraph(paragraph, maxEm));
  }
  return out;
}

function wrapParagraph(paragraph, maxEm) {
  const lines = [];
  let line = [];
  const lineText = (toks) => toks.map((t) => t.text).join('').trim();
  const width = (toks) => textWidthEm(lineText(toks));
  const pushLine = () => {
    while (line.length && line[line.length - 1].space) line.pop();
    if (line.length) lines.push(lineText(line));
    line = [];
  };

  const queue = tokenize(paragraph);
  while (queue.length) {
    const tok = queue.shift();
    if (tok.space) {
      if (line.length) line.push(tok);
      continue;
    }
    if (!tok.space && textWidthEm(tok.text) > maxEm) {
      queue.unshift(...splitLongWord(tok.text, maxEm).map((t) => ({ text: t, space: false })));
      continue;
    }
    if (width([...line, tok]) <= maxEm) {
      line.push(tok);
      continue;
    }
    // Carry the previous character along rather than start a line with closing punctuation.
    const carry = [];
    if (NO_LINE_START.has([...tok.text][0]) && line.length > 1 && !line[line.length - 1].space) {
      carry.push(line.pop());
    }
    pushLine();
    line = [...carry, tok];
  }
  pushLine();
  return lines;
}

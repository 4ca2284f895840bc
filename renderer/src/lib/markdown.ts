/**
 * The Markdown subset that exhibit staff write articles in: headings, paragraphs, lists with one level of
 * nesting, quotes, rules, and inline strong / emphasis / code. It produces a tree, never HTML: the view renders
 * the tree with Svelte elements, so raw HTML (and entities such as `&amp;`) in the source stays visible text.
 * Links and images keep only their text, because the kiosk is offline and cannot go anywhere.
 *
 * Articles come from content packs, so the parser is built for hostile input too: it never throws, takes time
 * roughly linear in the input, and bounds every kind of nesting (the view renders the tree recursively).
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'code'; text: string };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'quote'; children: Block[] }
  | { kind: 'rule' };

const MAX_QUOTE_DEPTH = 4;
/** A list and the lists nested in its items; deeper items join the nested list. */
const MAX_LIST_DEPTH = 2;
const MAX_EMPHASIS_DEPTH = 8;
/** How far a link's `(destination "title")` may reach: a bound on rescanning when a link turns out not to be one. */
const LINK_TAIL_LIMIT = 1000;
/** Parentheses nested in a link destination, capped as in cmark for the same reason. */
const LINK_PAREN_LIMIT = 32;

export function parseMarkdown(source: string): Block[] {
  // NUL becomes the replacement character, as CommonMark requires: browsers drop it, or worse.
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replaceAll('\0', '\uFFFD').split('\n');
  return parseBlocks(lines, { quoteDepth: 0, listDepth: 0 });
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

interface Context {
  quoteDepth: number;
  listDepth: number;
}

interface ListMarker {
  ordered: boolean;
  start: number;
  indent: number;
  text: string;
}

class LineCursor {
  index = 0;
  constructor(private readonly lines: readonly string[]) {}
  get done(): boolean {
    return this.index >= this.lines.length;
  }
  get line(): string {
    return this.lines[this.index] ?? '';
  }
}

function parseBlocks(lines: readonly string[], context: Context): Block[] {
  const blocks: Block[] = [];
  const cursor = new LineCursor(lines);
  while (!cursor.done) {
    const line = cursor.line;
    const heading = headingOf(line);
    const marker = listMarkerOf(line, context);
    if (isBlank(line)) {
      cursor.index += 1;
    } else if (heading) {
      blocks.push({ kind: 'heading', level: heading.level, children: parseInline(heading.text) });
      cursor.index += 1;
    } else if (isRule(line)) {
      blocks.push({ kind: 'rule' });
      cursor.index += 1;
    } else if (quoteContentOf(line, context) !== null) {
      blocks.push(parseQuote(cursor, context));
    } else if (marker) {
      blocks.push(parseList(cursor, marker, context));
    } else {
      blocks.push(parseParagraph(cursor, context));
    }
  }
  return blocks;
}

function parseParagraph(cursor: LineCursor, context: Context): Block {
  const lines: string[] = [];
  do {
    lines.push(cursor.line);
    cursor.index += 1;
  } while (!cursor.done && !isBlank(cursor.line) && !interruptsParagraph(cursor.line, context));
  return { kind: 'paragraph', children: parseInline(joinLines(lines)) };
}

function parseQuote(cursor: LineCursor, context: Context): Block {
  const inner: string[] = [];
  while (!cursor.done) {
    const line = cursor.line;
    const content = quoteContentOf(line, context);
    if (content !== null) inner.push(content);
    // A line without `>` right after quoted text still belongs to it (CommonMark's lazy continuation).
    else if (!isBlank(line) && !isBlank(inner.at(-1) ?? '') && !interruptsParagraph(line, context)) inner.push(line);
    else break;
    cursor.index += 1;
  }
  return { kind: 'quote', children: parseBlocks(inner, { ...context, quoteDepth: context.quoteDepth + 1 }) };
}

function parseList(cursor: LineCursor, first: ListMarker, context: Context): Block {
  const itemContext = { ...context, listDepth: context.listDepth + 1 };
  const nestingAllowed = itemContext.listDepth < MAX_LIST_DEPTH;
  const contentIndent = first.indent + 2;
  const items: Block[][] = [];
  for (let marker = listMarkerOf(cursor.line, context); marker?.ordered === first.ordered; ) {
    cursor.index += 1;
    const content = [marker.text];
    let afterBlank = false;
    while (!cursor.done) {
      const line = cursor.line;
      const startsItem = listMarkerOf(line, context) !== null;
      if (isBlank(line)) {
        content.push('');
        afterBlank = true;
      } else if (indentOf(line) >= contentIndent && (nestingAllowed || !startsItem)) {
        content.push(dedent(line, contentIndent));
        afterBlank = false;
      } else if (afterBlank || startsItem || interruptsParagraph(line, context)) {
        break;
      } else {
        content.push(line);
      }
      cursor.index += 1;
    }
    items.push(parseBlocks(content, itemContext));
    marker = cursor.done ? null : listMarkerOf(cursor.line, context);
  }
  return { kind: 'list', ordered: first.ordered, start: first.start, items };
}

function interruptsParagraph(line: string, context: Context): boolean {
  if (headingOf(line) || isRule(line) || quoteContentOf(line, context) !== null) return true;
  const marker = listMarkerOf(line, context);
  // Prose that wraps onto a line starting "1990." or "-" must not turn into a list (as in CommonMark).
  return marker !== null && marker.text !== '' && (!marker.ordered || marker.start === 1);
}

function headingOf(line: string): { level: 1 | 2 | 3; text: string } | null {
  const match = /^[ \t]*(#{1,6})(?:[ \t]|$)/.exec(line);
  if (!match) return null;
  const text = trimSpaces(line.slice(match[0].length));
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  const closed = end === 0 || text[end - 1] === ' ' || text[end - 1] === '\t';
  const level = Math.min(match[1]?.length ?? 1, 3) as 1 | 2 | 3;
  return { level, text: closed ? trimSpaces(text.slice(0, end)) : text };
}

function isRule(line: string): boolean {
  let mark = '';
  let count = 0;
  for (const char of line) {
    if (char === ' ' || char === '\t') continue;
    if ((char !== '-' && char !== '*' && char !== '_') || (mark !== '' && char !== mark)) return false;
    mark = char;
    count += 1;
  }
  return count >= 3;
}

function quoteContentOf(line: string, context: Context): string | null {
  if (context.quoteDepth >= MAX_QUOTE_DEPTH) return null;
  const match = /^[ \t]*>[ \t]?/.exec(line);
  return match ? line.slice(match[0].length) : null;
}

function listMarkerOf(line: string, context: Context): ListMarker | null {
  if (context.listDepth >= MAX_LIST_DEPTH || isRule(line)) return null;
  const match = /^[ \t]*(?:[-*+]|(\d{1,9})[.)])(?:[ \t]+(.*))?$/s.exec(line);
  if (!match) return null;
  const digits = match[1];
  return {
    ordered: digits !== undefined,
    start: digits === undefined ? 1 : Number(digits),
    indent: indentOf(line),
    text: match[2] ?? '',
  };
}

function isBlank(line: string): boolean {
  return trimSpaces(line) === '';
}

/** Leading whitespace width, with tabs stopping every 4 columns. */
function indentOf(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

function dedent(line: string, width: number): string {
  let removed = 0;
  let index = 0;
  while (index < line.length && removed < width) {
    const char = line[index];
    if (char === ' ') removed += 1;
    else if (char === '\t') removed += 4 - (removed % 4);
    else break;
    index += 1;
  }
  return line.slice(index);
}

/** Trims ASCII spaces and tabs only: an ideographic space (U+3000) opening a Chinese paragraph is meant. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start += 1;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end -= 1;
  return text.slice(start, end);
}

/**
 * Joins a paragraph's lines. A line break is a space in Latin text but nothing between two Chinese characters,
 * where a space would show as a gap (the rule of CSS Text's segment break transformation).
 */
function joinLines(lines: readonly string[]): string {
  const parts: string[] = [];
  let previous = '';
  for (const line of lines.map(trimSpaces)) {
    const before = codePointBefore(previous, previous.length);
    if (before !== undefined && line !== '' && !joinsWithoutSpace(before, line.codePointAt(0) ?? 0)) parts.push(' ');
    parts.push(line);
    if (line !== '') previous = line;
  }
  return parts.join('');
}

/**
 * Quotes, dashes and ellipses are shared by Chinese and English text: they join without a space only when the
 * other side is Chinese, so `“Hello”⏎“World”` keeps its space and `他说：“你好”⏎然后` loses it.
 */
const SHARED_PUNCTUATION = new Set([0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026, 0x00b7]);

function joinsWithoutSpace(before: number, after: number): boolean {
  if (isCjk(before)) return isCjk(after) || SHARED_PUNCTUATION.has(after);
  return SHARED_PUNCTUATION.has(before) && isCjk(after);
}

const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x2e80, 0x2fdf], // radicals
  [0x3000, 0x303f], // CJK symbols and punctuation, ideographic space
  [0x3040, 0x30ff], // kana
  [0x3100, 0x312f], // bopomofo
  [0x3190, 0x4dbf], // kanbun, strokes, enclosed and compatibility forms, extension A
  [0x4e00, 0x9fff], // unified ideographs
  [0xf900, 0xfaff], // compatibility ideographs
  [0xfe30, 0xfe4f], // vertical and compatibility punctuation forms
  [0xff00, 0xff9f], // full-width forms (，。：！？) and half-width katakana
  [0xffe0, 0xffef], // full-width signs
  [0x20000, 0x3ffff], // extensions B and later
];

function isCjk(codePoint: number): boolean {
  return CJK_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

// ---------------------------------------------------------------------------------------------------------------
// Inlines: CommonMark's delimiter-stack algorithm for emphasis and brackets, which stays linear on pathological
// runs of `*` and `_` where nested regular expressions would backtrack for minutes.

const NONE = -1;

const TEXT = 0;
const CODE = 1;
const EM = 2;
const STRONG = 3;
/** Holds emphasis nested deeper than anyone writes it: shown as its content alone, since the view recurses. */
const GROUP = 4;

/**
 * A paragraph's inline nodes: a doubly linked list kept in typed arrays and addressed by number, each node's
 * text a slice of the paragraph. Pathological input makes hundreds of thousands of nodes, and as objects or
 * growing arrays they kept the garbage collector busy for most of the parse.
 */
class InlineNodes {
  first = NONE;
  last = NONE;
  private count = 0;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly prevs: Int32Array;
  private readonly nexts: Int32Array;
  /** The children of an em, strong or group node: a list of their own, linked by `next`. */
  private readonly firstChildren: Int32Array;
  /** How deep emphasis nests inside the node, itself included. */
  private readonly depths: Uint8Array;

  constructor(private readonly source: string) {
    // Every node appended takes at least one character of the text and every wrapper two.
    const capacity = 2 * source.length + 1;
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.prevs = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
    this.firstChildren = new Int32Array(capacity);
    this.depths = new Uint8Array(capacity);
  }

  /** Adds the text between `start` and `end` (as text or as code) at the end of the list. */
  append(kind: typeof TEXT | typeof CODE, start: number, end: number): number {
    const node = this.add(kind, this.last, NONE, NONE, 0);
    this.starts[node] = start;
    this.ends[node] = end;
    if (this.last === NONE) this.first = node;
    else this.nexts[this.last] = node;
    this.last = node;
    return node;
  }

  /** Drops `count` characters from the start (or the end) of a node's text. */
  trim(node: number, count: number, fromEnd: boolean): void {
    if (fromEnd) this.ends[node] = at(this.ends, node) - count;
    else this.starts[node] = at(this.starts, node) + count;
  }

  remove(node: number): void {
    const prev = at(this.prevs, node);
    const next = at(this.nexts, node);
    if (prev === NONE) this.first = next;
    else this.nexts[prev] = next;
    if (next === NONE) this.last = prev;
    else this.prevs[next] = prev;
  }

  /** Moves the nodes between `opener` and `closer` under a new node of `kind` between them. */
  wrap(opener: number, closer: number, kind: typeof EM | typeof STRONG): void {
    const first = at(this.nexts, opener);
    const last = at(this.prevs, closer);
    let depth = 0;
    for (let node = first; node !== closer && node !== NONE; node = at(this.nexts, node)) {
      depth = Math.max(depth, at(this.depths, node));
    }
    const tooDeep = depth >= MAX_EMPHASIS_DEPTH;
    const firstChild = first === closer ? NONE : first;
    const wrapper = this.add(tooDeep ? GROUP : kind, opener, closer, firstChild, tooDeep ? depth : depth + 1);
    if (first !== closer) {
      this.prevs[first] = NONE;
      this.nexts[last] = NONE;
    }
    this.nexts[opener] = wrapper;
    this.prevs[closer] = wrapper;
  }

  /** The public tree of the list starting at `first`: neighbouring text merged, groups spliced into their parent. */
  toInlines(first = this.first): Inline[] {
    const inlines: Inline[] = [];
    let text = '';
    // Groups nest as deep as the input does, so they are walked with a stack of where to go on, not recursion.
    let resume: number[] | null = null;
    for (let node = first; node !== NONE || (resume?.length ?? 0) > 0; ) {
      if (node === NONE) {
        node = resume?.pop() ?? NONE;
        continue;
      }
      const kind = at(this.kinds, node);
      const next = at(this.nexts, node);
      if (kind === GROUP) {
        resume ??= [];
        resume.push(next);
        node = at(this.firstChildren, node);
        continue;
      }
      if (kind === TEXT) {
        text += this.text(node);
      } else {
        if (text !== '') inlines.push({ kind: 'text', text });
        text = '';
        if (kind === CODE) {
          inlines.push({ kind: 'code', text: this.text(node) });
        } else {
          const children = this.toInlines(at(this.firstChildren, node));
          inlines.push({ kind: kind === STRONG ? 'strong' : 'em', children });
        }
      }
      node = next;
    }
    if (text !== '') inlines.push({ kind: 'text', text });
    return inlines;
  }

  private text(node: number): string {
    return this.source.slice(at(this.starts, node), at(this.ends, node));
  }

  private add(kind: number, prev: number, next: number, firstChild: number, depth: number): number {
    const node = this.count++;
    this.kinds[node] = kind;
    this.prevs[node] = prev;
    this.nexts[node] = next;
    this.firstChildren[node] = firstChild;
    this.depths[node] = depth;
    return node;
  }
}

const CAN_OPEN = 1;
const CAN_CLOSE = 2;

/** Runs of `*` and `_` that may still open or close emphasis, bottom to top; typed arrays like the nodes. */
class DelimiterStack {
  top = NONE;
  private count = 0;
  private readonly nodes: Int32Array;
  private readonly chars: Uint16Array;
  private readonly remaining: Int32Array;
  /** Run lengths as written, for CommonMark's "rule of 3". */
  private readonly lengths: Int32Array;
  private readonly abilities: Uint8Array;
  private readonly belows: Int32Array;
  private readonly aboves: Int32Array;

  constructor(capacity: number) {
    this.nodes = new Int32Array(capacity);
    this.chars = new Uint16Array(capacity);
    this.remaining = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.abilities = new Uint8Array(capacity);
    this.belows = new Int32Array(capacity);
    this.aboves = new Int32Array(capacity);
  }

  push(node: number, char: string, length: number, canOpen: boolean, canClose: boolean): void {
    const run = this.count++;
    this.nodes[run] = node;
    this.chars[run] = char.charCodeAt(0);
    this.remaining[run] = length;
    this.lengths[run] = length;
    this.abilities[run] = (canOpen ? CAN_OPEN : 0) | (canClose ? CAN_CLOSE : 0);
    this.belows[run] = this.top;
    this.aboves[run] = NONE;
    if (this.top !== NONE) this.aboves[this.top] = run;
    this.top = run;
  }

  node(run: number): number {
    return at(this.nodes, run);
  }
  /** Delimiters of the run not yet used by emphasis. */
  left(run: number): number {
    return at(this.remaining, run);
  }
  canOpen(run: number): boolean {
    return (at(this.abilities, run) & CAN_OPEN) !== 0;
  }
  canClose(run: number): boolean {
    return (at(this.abilities, run) & CAN_CLOSE) !== 0;
  }
  below(run: number): number {
    return at(this.belows, run);
  }
  above(run: number): number {
    return at(this.aboves, run);
  }

  /** Which openers a closer can use: openers that failed one closer fail every later closer of the same kind. */
  closerKind(run: number): number {
    return (at(this.chars, run) === 0x2a ? 0 : 6) + (this.canOpen(run) ? 3 : 0) + (at(this.lengths, run) % 3);
  }

  pairs(opener: number, closer: number): boolean {
    if (at(this.chars, opener) !== at(this.chars, closer) || !this.canOpen(opener)) return false;
    // The "rule of 3" keeps `*foo**bar*` from pairing the single and double runs.
    const openerLength = at(this.lengths, opener);
    const closerLength = at(this.lengths, closer);
    const eitherBoth = this.canClose(opener) || this.canOpen(closer);
    const bothMultiplesOf3 = openerLength % 3 === 0 && closerLength % 3 === 0;
    return !(eitherBoth && (openerLength + closerLength) % 3 === 0 && !bothMultiplesOf3);
  }

  use(run: number, count: number): void {
    this.remaining[run] = this.left(run) - count;
  }

  /** Drops the runs between the two: enclosed in emphasis, they can no longer pair with anything outside it. */
  dropBetween(lower: number, upper: number): void {
    this.aboves[lower] = upper;
    this.belows[upper] = lower;
  }

  remove(run: number): void {
    const below = this.below(run);
    const above = this.above(run);
    if (below !== NONE) this.aboves[below] = above;
    if (above !== NONE) this.belows[above] = below;
    if (this.top === run) this.top = below;
  }
}

function at(values: Int32Array | Uint16Array | Uint8Array, index: number): number {
  return values[index] ?? NONE;
}

interface Bracket {
  node: number;
  image: boolean;
  /** Orders brackets so that a link can deactivate every `[` before it in O(1): links cannot contain links. */
  sequence: number;
  delimitersBelow: number;
  below: Bracket | null;
}

const UNICODE_PUNCTUATION = /^[\p{P}\p{S}]$/u;
const UNICODE_WHITESPACE = /^\s$/u;

function parseInline(text: string): Inline[] {
  // Most paragraphs, Chinese ones above all, hold no markup at all.
  if (indexOfSpecial(text, 0) === text.length) return text === '' ? [] : [{ kind: 'text', text }];
  return new InlineParser(text).parse();
}

/** `!` to `/`, `:` to `@`, `[` to the backtick, `{` to `~`: what a backslash escapes. */
function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

function indexOfSpecial(text: string, from: number): number {
  let index = from;
  while (index < text.length && !isSpecial(text[index])) index += 1;
  return index;
}

function isSpecial(char: string | undefined): boolean {
  return char === '*' || char === '_' || char === '`' || char === '\\' || char === '[' || char === ']' || char === '!';
}

class InlineParser {
  private position = 0;
  private readonly nodes: InlineNodes;
  private readonly delimiters: DelimiterStack;
  private brackets: Bracket | null = null;
  private nextSequence = 0;
  private firstActiveLinkSequence = 0;
  private backtickRuns: BacktickRuns | null = null;

  constructor(private readonly source: string) {
    this.nodes = new InlineNodes(source);
    this.delimiters = new DelimiterStack(source.length);
  }

  parse(): Inline[] {
    const source = this.source;
    while (this.position < source.length) {
      const end = indexOfSpecial(source, this.position);
      if (end > this.position) this.nodes.append(TEXT, this.position, end);
      this.position = end;
      if (end < source.length) this.parseSpecial(source[end] ?? '');
    }
    this.processEmphasis(NONE);
    return this.nodes.toInlines();
  }

  private parseSpecial(char: string): void {
    const next = this.source[this.position + 1] ?? '';
    if (char === '\\' && isAsciiPunctuation(next.charCodeAt(0))) {
      this.nodes.append(TEXT, this.position + 1, this.position + 2);
      this.position += 2;
    } else if (char === '`') {
      this.parseCodeSpan();
    } else if (char === '*' || char === '_') {
      this.parseDelimiterRun(char);
    } else if (char === '[' || (char === '!' && next === '[')) {
      this.pushBracket(char === '!');
    } else if (char === ']') {
      this.closeBracket();
    } else {
      this.nodes.append(TEXT, this.position, this.position + 1);
      this.position += 1;
    }
  }

  private parseCodeSpan(): void {
    const start = this.position;
    const end = runEnd(this.source, start, '`');
    this.backtickRuns ??= new BacktickRuns(this.source);
    const closer = this.backtickRuns.next(end - start, end);
    if (closer === null) {
      this.nodes.append(TEXT, start, end);
      this.position = end;
      return;
    }
    const code = this.source.slice(end, closer);
    // One space on each side lets code start or end with a backtick: `` `x` `` (CommonMark).
    const padded = code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '';
    this.nodes.append(CODE, padded ? end + 1 : end, padded ? closer - 1 : closer);
    this.position = closer + (end - start);
  }

  private parseDelimiterRun(char: '*' | '_'): void {
    const start = this.position;
    const end = runEnd(this.source, start, char);
    const before = characterClass(codePointBefore(this.source, start));
    const after = characterClass(this.source.codePointAt(end));
    // CommonMark's flanking rules, where a CJK neighbour counts like a space (the `cjk` class is not `other`), so
    // `是**“引用”**吗` is bold although punctuation sits inside the markers and no space outside them.
    const leftFlanking = after !== 'space' && (after !== 'punctuation' || before !== 'other');
    const rightFlanking = before !== 'space' && (before !== 'punctuation' || after !== 'other');
    // `_` inside a word (snake_case) is never emphasis.
    const canOpen = char === '*' ? leftFlanking : leftFlanking && (!rightFlanking || before === 'punctuation');
    const canClose = char === '*' ? rightFlanking : rightFlanking && (!leftFlanking || after === 'punctuation');
    const node = this.nodes.append(TEXT, start, end);
    if (canOpen || canClose) this.delimiters.push(node, char, end - start, canOpen, canClose);
    this.position = end;
  }

  private pushBracket(image: boolean): void {
    const length = image ? 2 : 1;
    const node = this.nodes.append(TEXT, this.position, this.position + length);
    this.position += length;
    const sequence = this.nextSequence++;
    this.brackets = { node, image, sequence, delimitersBelow: this.delimiters.top, below: this.brackets };
  }

  private closeBracket(): void {
    const opener = this.brackets;
    this.position += 1;
    const active = opener !== null && (opener.image || opener.sequence >= this.firstActiveLinkSequence);
    const tailEnd = active && this.source[this.position] === '(' ? linkTailEnd(this.source, this.position + 1) : null;
    if (opener) this.brackets = opener.below;
    if (opener === null || tailEnd === null) {
      this.nodes.append(TEXT, this.position - 1, this.position);
      return;
    }
    // The link shows as its text, so only the brackets and the destination go; emphasis is settled inside the
    // text first, so that a `*` in it cannot pair with one outside.
    this.processEmphasis(opener.delimitersBelow);
    this.nodes.remove(opener.node);
    if (!opener.image) this.firstActiveLinkSequence = this.nextSequence;
    this.position = tailEnd;
  }

  /** Pairs the runs above `bottom` into emphasis, then drops them from the stack. */
  private processEmphasis(bottom: number): void {
    const runs = this.delimiters;
    if (runs.top === bottom) return;
    let closer = runs.top;
    while (closer !== NONE && runs.below(closer) !== bottom) closer = runs.below(closer);
    // Per kind of closer, where the search for an opener may stop: what failed once fails again. This is what
    // keeps the algorithm linear.
    const openersBottom = new Array<number>(12).fill(bottom);
    while (closer !== NONE) {
      const above = runs.above(closer);
      if (!runs.canClose(closer)) {
        closer = above;
        continue;
      }
      const kind = runs.closerKind(closer);
      const floor = openersBottom[kind] ?? bottom;
      let opener = runs.below(closer);
      while (opener !== NONE && opener !== bottom && opener !== floor && !runs.pairs(opener, closer)) {
        opener = runs.below(opener);
      }
      if (opener !== NONE && opener !== bottom && opener !== floor) {
        closer = this.emphasize(opener, closer);
      } else {
        openersBottom[kind] = runs.below(closer);
        if (!runs.canOpen(closer)) runs.remove(closer);
        closer = above;
      }
    }
    while (runs.top !== NONE && runs.top !== bottom) runs.remove(runs.top);
  }

  /** Wraps what lies between the two runs and returns the closer to go on with. */
  private emphasize(opener: number, closer: number): number {
    const runs = this.delimiters;
    const nodes = this.nodes;
    const used = runs.left(opener) >= 2 && runs.left(closer) >= 2 ? 2 : 1;
    runs.use(opener, used);
    runs.use(closer, used);
    // The delimiters used are the inner ones, next to the emphasized text.
    nodes.trim(runs.node(opener), used, true);
    nodes.trim(runs.node(closer), used, false);
    nodes.wrap(runs.node(opener), runs.node(closer), used === 2 ? STRONG : EM);
    runs.dropBetween(opener, closer);
    if (runs.left(opener) === 0) {
      nodes.remove(runs.node(opener));
      runs.remove(opener);
    }
    if (runs.left(closer) > 0) return closer;
    const next = runs.above(closer);
    nodes.remove(runs.node(closer));
    runs.remove(closer);
    return next;
  }
}

/** Starts of backtick runs by run length, read once per paragraph, so finding each closing run is amortized O(1). */
class BacktickRuns {
  private readonly startsByLength = new Map<number, number[]>();
  private readonly searchedUpTo = new Map<number, number>();

  constructor(source: string) {
    for (let index = source.indexOf('`'); index !== -1; ) {
      const end = runEnd(source, index, '`');
      const starts = this.startsByLength.get(end - index) ?? [];
      starts.push(index);
      this.startsByLength.set(end - index, starts);
      index = source.indexOf('`', end);
    }
  }

  /** The first run of exactly `length` backticks starting at or after `from`; `from` never decreases. */
  next(length: number, from: number): number | null {
    const starts = this.startsByLength.get(length) ?? [];
    let index = this.searchedUpTo.get(length) ?? 0;
    while (index < starts.length && (starts[index] ?? Infinity) < from) index += 1;
    this.searchedUpTo.set(length, index);
    return starts[index] ?? null;
  }
}

/**
 * Where `(destination "title")` ends, `start` being just past the `(`, or null when it is not one. The
 * destination is dropped, so this only has to find the end the way CommonMark would.
 */
function linkTailEnd(source: string, start: number): number | null {
  const limit = Math.min(source.length, start + LINK_TAIL_LIMIT);
  let index = skipSpaces(source, start, limit);
  if (source[index] === '<') {
    index += 1;
    while (index < limit && source[index] !== '>') {
      if (source[index] === '<') return null;
      index += source[index] === '\\' ? 2 : 1;
    }
    if (index >= limit) return null;
    index += 1;
  } else {
    let depth = 0;
    for (; index < limit; index += 1) {
      const char = source[index] ?? '';
      if (char === '\\') index += 1;
      else if (char === '(' && ++depth > LINK_PAREN_LIMIT) return null;
      else if (char === ')' && depth-- === 0) break;
      else if (char <= ' ') break;
    }
  }
  const destinationEnd = index;
  index = skipSpaces(source, index, limit);
  const open = source[index];
  if (index > destinationEnd && (open === '"' || open === "'" || open === '(')) {
    const close = open === '(' ? ')' : open;
    index += 1;
    while (index < limit && source[index] !== close) {
      // Only an escaped `(` may stand inside a `(title)`.
      if (source[index] === '(') return null;
      index += source[index] === '\\' ? 2 : 1;
    }
    if (index >= limit) return null;
    index = skipSpaces(source, index + 1, limit);
  }
  return index < limit && source[index] === ')' ? index + 1 : null;
}

function skipSpaces(source: string, index: number, limit: number): number {
  while (index < limit && (source[index] === ' ' || source[index] === '\t')) index += 1;
  return index;
}

function runEnd(source: string, start: number, char: string): number {
  let end = start;
  while (source[end] === char) end += 1;
  return end;
}

/** The whole code point that ends just before `index`, even when it takes two UTF-16 units. */
function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const pair = index >= 2 ? text.codePointAt(index - 2) : undefined;
  return pair !== undefined && pair > 0xffff ? pair : text.charCodeAt(index - 1);
}

type CharacterClass = 'space' | 'punctuation' | 'cjk' | 'other';

/** How a neighbour of `*` or `_` counts for emphasis; the ends of the text count as spaces. */
function characterClass(codePoint: number | undefined): CharacterClass {
  if (codePoint === undefined || codePoint <= 0x20) return 'space';
  if (codePoint < 0x7f) return isAsciiPunctuation(codePoint) ? 'punctuation' : 'other';
  const char = String.fromCodePoint(codePoint);
  if (UNICODE_WHITESPACE.test(char)) return 'space';
  if (UNICODE_PUNCTUATION.test(char)) return 'punctuation';
  return isCjk(codePoint) ? 'cjk' : 'other';
}

import { describe, expect, it } from 'vitest';
import { parseMarkdown, type Block, type Inline } from '../../renderer/src/lib/markdown';

const text = (value: string): Inline => ({ kind: 'text', text: value });
const paragraph = (...children: Inline[]): Block => ({ kind: 'paragraph', children });
/** The inlines of a source that is one paragraph. */
const inlines = (source: string): Inline[] => {
  const blocks = parseMarkdown(source);
  expect(blocks).toHaveLength(1);
  const [block] = blocks;
  if (block?.kind !== 'paragraph') throw new Error(`expected a paragraph, got ${JSON.stringify(block)}`);
  return block.children;
};
const item = (value: string, ...more: Block[]): Block[] => [paragraph(text(value)), ...more];

describe('parseMarkdown blocks', () => {
  it('reads ATX headings, deeper levels as level 3, with closing hashes removed', () => {
    expect(parseMarkdown('# One\n## Two ##\n### Three\n#### Four\n###### Six #')).toEqual([
      { kind: 'heading', level: 1, children: [text('One')] },
      { kind: 'heading', level: 2, children: [text('Two')] },
      { kind: 'heading', level: 3, children: [text('Three')] },
      { kind: 'heading', level: 3, children: [text('Four')] },
      { kind: 'heading', level: 3, children: [text('Six')] },
    ]);
  });

  it('needs a space after the hashes and at most six of them', () => {
    expect(parseMarkdown('#hashtag\n\n####### seven\n\n# C#')).toEqual([
      paragraph(text('#hashtag')),
      paragraph(text('####### seven')),
      { kind: 'heading', level: 1, children: [text('C#')] },
    ]);
  });

  it('joins consecutive lines into a paragraph and splits paragraphs at blank lines', () => {
    expect(parseMarkdown('First line\nsecond line\n\n\nNext paragraph  \n')).toEqual([
      paragraph(text('First line second line')),
      paragraph(text('Next paragraph')),
    ]);
    expect(parseMarkdown('Windows\r\nline ends\rtoo')).toEqual([paragraph(text('Windows line ends too'))]);
  });

  it('drops a soft break between Chinese characters but keeps a space next to Latin text', () => {
    expect(inlines('中国公民在海外\n遇到困难时，\n可以联系\nthe embassy\nor 领事馆')).toEqual([
      text('中国公民在海外遇到困难时，可以联系 the embassy or 领事馆'),
    ]);
  });

  it('joins quotation marks to Chinese text without a space, but not to English text', () => {
    expect(inlines('他说：\n“请拨打12308”\n然后挂断')).toEqual([text('他说：“请拨打12308”然后挂断')]);
    expect(inlines('“Call 12308”\n“now”')).toEqual([text('“Call 12308” “now”')]);
  });

  it('sees whole characters at a soft break, beyond the 16-bit range too', () => {
    expect(inlines('𠀀\n𠀁 and 😀\n😀')).toEqual([text('𠀀𠀁 and 😀 😀')]);
  });

  it('keeps an ideographic space that indents a Chinese paragraph', () => {
    expect(inlines('\u3000\u3000第一段')).toEqual([text('\u3000\u3000第一段')]);
  });

  it('reads bullet lists with -, * and +', () => {
    const list = (bullet: string) => parseMarkdown(`${bullet} one\n${bullet} two`);
    for (const bullet of ['-', '*', '+']) {
      expect(list(bullet)).toEqual([{ kind: 'list', ordered: false, start: 1, items: [item('one'), item('two')] }]);
    }
  });

  it('reads ordered lists with 1. and 1) and keeps their start number', () => {
    expect(parseMarkdown('1. one\n2. two')).toEqual([
      { kind: 'list', ordered: true, start: 1, items: [item('one'), item('two')] },
    ]);
    expect(parseMarkdown('3) three\n4) four')).toEqual([
      { kind: 'list', ordered: true, start: 3, items: [item('three'), item('four')] },
    ]);
  });

  it('nests items indented by two spaces or more under the item before them', () => {
    const nested = (items: Block[][]): Block => ({ kind: 'list', ordered: false, start: 1, items });
    expect(parseMarkdown('- fruit\n  - apple\n  - pear\n- bread')).toEqual([
      nested([item('fruit', nested([item('apple'), item('pear')])), item('bread')]),
    ]);
    expect(parseMarkdown('1. Call 12308\n   - day or night\n2. Stay calm')).toEqual([
      {
        kind: 'list',
        ordered: true,
        start: 1,
        items: [item('Call 12308', nested([item('day or night')])), item('Stay calm')],
      },
    ]);
  });

  it('keeps one level of nesting: deeper items join the nested list', () => {
    const nested = (items: Block[][]): Block => ({ kind: 'list', ordered: false, start: 1, items });
    expect(parseMarkdown('- a\n  - b\n    - c\n      - d')).toEqual([
      nested([item('a', nested([item('b'), item('c'), item('d')]))]),
    ]);
  });

  it('treats a one-space indent as a sibling item', () => {
    expect(parseMarkdown('- a\n - b')).toEqual([
      { kind: 'list', ordered: false, start: 1, items: [item('a'), item('b')] },
    ]);
  });

  it('continues an item with wrapped lines and with indented paragraphs after a blank line', () => {
    expect(parseMarkdown('- first line\nwrapped\n\n  second paragraph\n- next')).toEqual([
      {
        kind: 'list',
        ordered: false,
        start: 1,
        items: [[paragraph(text('first line wrapped')), paragraph(text('second paragraph'))], item('next')],
      },
    ]);
  });

  it('ends a list at an unindented paragraph after a blank line, or when the kind of list changes', () => {
    expect(parseMarkdown('- a\n\nafter')).toEqual([
      { kind: 'list', ordered: false, start: 1, items: [item('a')] },
      paragraph(text('after')),
    ]);
    expect(parseMarkdown('- a\n1. b')).toEqual([
      { kind: 'list', ordered: false, start: 1, items: [item('a')] },
      { kind: 'list', ordered: true, start: 1, items: [item('b')] },
    ]);
  });

  it('lets a list interrupt a paragraph, except a number that merely starts a wrapped line', () => {
    expect(parseMarkdown('Bring:\n- passport')).toEqual([
      paragraph(text('Bring:')),
      { kind: 'list', ordered: false, start: 1, items: [item('passport')] },
    ]);
    expect(parseMarkdown('The law was passed in\n1990. It says')).toEqual([
      paragraph(text('The law was passed in 1990. It says')),
    ]);
  });

  it('reads block quotes, nested quotes, lazy continuation lines and lists inside quotes', () => {
    expect(parseMarkdown('> quoted\ncontinued\n> > inner\n\n> - item')).toEqual([
      {
        kind: 'quote',
        children: [paragraph(text('quoted continued')), { kind: 'quote', children: [paragraph(text('inner'))] }],
      },
      { kind: 'quote', children: [{ kind: 'list', ordered: false, start: 1, items: [item('item')] }] },
    ]);
  });

  it('reads horizontal rules, which win over list items', () => {
    expect(parseMarkdown('---\n***\n___\n- - -\n* * *')).toEqual(Array.from({ length: 5 }, () => ({ kind: 'rule' })));
    expect(parseMarkdown('--')).toEqual([paragraph(text('--'))]);
  });
});

describe('parseMarkdown inlines', () => {
  it('reads strong and emphasis with either marker', () => {
    expect(inlines('**bold** __bold__ *em* _em_')).toEqual([
      { kind: 'strong', children: [text('bold')] },
      text(' '),
      { kind: 'strong', children: [text('bold')] },
      text(' '),
      { kind: 'em', children: [text('em')] },
      text(' '),
      { kind: 'em', children: [text('em')] },
    ]);
  });

  it('nests emphasis and reads triple markers as both', () => {
    expect(inlines('**a *b* c**')).toEqual([
      { kind: 'strong', children: [text('a '), { kind: 'em', children: [text('b')] }, text(' c')] },
    ]);
    expect(inlines('***both***')).toEqual([{ kind: 'em', children: [{ kind: 'strong', children: [text('both')] }] }]);
  });

  it('never reads underscores inside words as emphasis', () => {
    expect(inlines('snake_case_name and __init__ file_name_')).toEqual([
      text('snake_case_name and '),
      { kind: 'strong', children: [text('init')] },
      text(' file_name_'),
    ]);
  });

  it('reads asterisks inside words, and not around spaces', () => {
    expect(inlines('un*frigging*believable')).toEqual([
      text('un'),
      { kind: 'em', children: [text('frigging')] },
      text('believable'),
    ]);
    expect(inlines('2 * 3 * 4 and a * b')).toEqual([text('2 * 3 * 4 and a * b')]);
  });

  it('follows CommonMark on unbalanced markers and the rule of 3', () => {
    expect(inlines('**foo*')).toEqual([text('*'), { kind: 'em', children: [text('foo')] }]);
    expect(inlines('*foo**bar*')).toEqual([{ kind: 'em', children: [text('foo**bar')] }]);
    expect(inlines('*open only')).toEqual([text('*open only')]);
  });

  it('emphasizes Chinese text whose markers sit next to punctuation', () => {
    expect(inlines('这是**“引用”**内容，*强调*。')).toEqual([
      text('这是'),
      { kind: 'strong', children: [text('“引用”')] },
      text('内容，'),
      { kind: 'em', children: [text('强调')] },
      text('。'),
    ]);
  });

  it('reads code spans, which take everything literally', () => {
    expect(inlines('Run `npm *start*` or ``a ` b`` or `` `x` ``')).toEqual([
      text('Run '),
      { kind: 'code', text: 'npm *start*' },
      text(' or '),
      { kind: 'code', text: 'a ` b' },
      text(' or '),
      { kind: 'code', text: '`x`' },
    ]);
    expect(inlines('an `unclosed span and ``mismatched')).toEqual([text('an `unclosed span and ``mismatched')]);
  });

  it('reads backslash escapes of punctuation only', () => {
    expect(inlines('\\*not em\\* \\# \\\\ C:\\Users \\中')).toEqual([text('*not em* # \\ C:\\Users \\中')]);
  });

  it('shows links as their text and images as their alt text', () => {
    expect(inlines('See [the *consular* site](https://cs.mfa.gov.cn/ "Title") and ![a map](map.png).')).toEqual([
      text('See the '),
      { kind: 'em', children: [text('consular')] },
      text(' site and a map.'),
    ]);
    expect(inlines('[a](<with space>) [b](x(y)z) [c](u \'t\') [d](u (t))')).toEqual([text('a b c d')]);
  });

  it('leaves what is not a link as it was written', () => {
    const notLinks = '[no destination] [space] (x) [ref][1] [open](x y z';
    expect(inlines(notLinks)).toEqual([text(notLinks)]);
    // Links cannot contain links: the outer brackets stay.
    expect(inlines('[a [b](u) c](v)')).toEqual([text('[a b c](v)')]);
  });

  it('keeps raw HTML and entities as literal text', () => {
    const html = '<script>alert("x")</script> <b onclick="x()">bold</b> <!-- note --> &amp; &lt;';
    expect(parseMarkdown(html)).toEqual([paragraph(text(html))]);
    expect(parseMarkdown('<div>\n*text*\n</div>')).toEqual([
      paragraph(text('<div> '), { kind: 'em', children: [text('text')] }, text(' </div>')),
    ]);
  });
});

describe('parseMarkdown on hostile input', () => {
  /** Deterministic, so that a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  }
  const pieces = [
    ...['*', '_', '**', '`', '``', '[', ']', '(', ')', '![', '\\', '#', '# ', '>', '> ', '-', '- ', '1. ', '2) ', '---'],
    ...['  ', '\t', '\n', '\n\n', '\r', '<b>', '"', "'", 'a', 'word', '中文', '。', '“', '\u3000', '😀', '\ud800', '\u0000'],
  ];

  function depth(blocks: readonly Block[] | readonly Inline[]): number {
    let deepest = 0;
    for (const node of blocks) {
      const children: (Block | Inline)[][] =
        node.kind === 'list' ? node.items : 'children' in node ? [node.children as (Block | Inline)[]] : [];
      for (const child of children) deepest = Math.max(deepest, depth(child as Block[]));
    }
    return deepest + 1;
  }

  it('never throws on 1000 random strings', () => {
    const next = random(20_261_130);
    for (let round = 0; round < 1000; round += 1) {
      const length = Math.floor(next() * 120);
      const source = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      expect(() => parseMarkdown(source), JSON.stringify(source)).not.toThrow();
      expect(Array.isArray(parseMarkdown(source))).toBe(true);
    }
  });

  it('bounds nesting, which the view renders recursively', () => {
    const deepQuote = parseMarkdown(`${'> '.repeat(10_000)}x`);
    const deepEmphasis = parseMarkdown(`${'*a _b '.repeat(10_000)}c${' d_ e*'.repeat(10_000)}`);
    expect(depth(deepQuote)).toBeLessThanOrEqual(8);
    expect(depth(deepEmphasis)).toBeLessThanOrEqual(12);
  });

  /** The best of three runs, so that a busy machine measures the parser rather than the scheduler. */
  function fastestMs(source: string): number {
    return Math.min(
      ...[1, 2, 3].map(() => {
        const start = performance.now();
        parseMarkdown(source);
        return performance.now() - start;
      }),
    );
  }

  it.each([
    ['*_*_*_…', '*_'.repeat(100_000)],
    ['*_*_*_ …', '*_*_*_ '.repeat(28_572)],
    ['nested emphasis', `${'*a _b '.repeat(16_667)}${' c_ d*'.repeat(16_667)}`],
    ['unmatched openers', '*a '.repeat(66_667)],
    ['brackets', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['link destinations that never close', '[a](b ('.repeat(28_572)],
    ['backtick runs', '`a``'.repeat(50_000)],
  ])('parses 200 KB of %s in under 100 ms', (_name, source) => {
    parseMarkdown(source.slice(0, 2_000));
    expect(source.length).toBeGreaterThanOrEqual(199_990);
    expect(fastestMs(source)).toBeLessThan(100);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  kindsForExtension,
  parseWebVtt,
  preflightFile,
  readImageSize,
  sniffMediaKind,
  type MediaKind,
  type VttProblem,
} from '../../electron/core/packs/preflight';
import { REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const MEDIA = fileURLToPath(new URL('../fixtures/media/', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(MEDIA, name)));

const FIXTURE_KINDS: Record<string, MediaKind | null> = {
  'clip.webm': 'webm',
  'clip.mkv': null,
  'clip.mp4': 'mp4',
  'still.png': 'png',
  'still.jpg': 'jpeg',
  'still.webp': 'webp',
  'still-lossless.webp': 'webp',
  'still-alpha.webp': 'webp',
  'still.avif': 'avif',
  'tone.mp3': 'mp3',
  'tone-bare.mp3': 'mp3',
  'tone.ogg': 'ogg',
  'tone.m4a': 'm4a',
};
const IMAGE_FIXTURES = ['still.png', 'still.jpg', 'still.webp', 'still-lossless.webp', 'still-alpha.webp', 'still.avif'];

function writeTemp(name: string, bytes: Uint8Array | string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}

function bytesOf(...parts: (number[] | string | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'string' ? new TextEncoder().encode(part) : Uint8Array.from(part)));
  const joined = new Uint8Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    joined.set(array, at);
    at += array.length;
  }
  return joined;
}

const u32be = (value: number) => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];

/** A PNG signature and IHDR with a correct CRC, so only the stated size can be wrong. */
function pngHeader(width: number, height: number): Uint8Array {
  const typeAndData = bytesOf('IHDR', u32be(width), u32be(height), [8, 2, 0, 0, 0]);
  return bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), typeAndData, u32be(crc32(typeAndData)));
}

/** still.jpg with APP15 segments of about 64 KB each inserted straight after SOI. */
function jpegWithPadding(minimumPadding: number): Uint8Array {
  const jpeg = fixture('still.jpg');
  const segments: Uint8Array[] = [];
  for (let padded = 0; padded < minimumPadding; padded += 0xffff + 2) {
    segments.push(bytesOf([0xff, 0xef, 0xff, 0xff], new Uint8Array(0xffff - 2)));
  }
  return bytesOf(jpeg.subarray(0, 2), ...segments, jpeg.subarray(2));
}

/** Seeded xorshift, so a failing random case can be replayed. */
function randomSource(seed: number) {
  let state = seed;
  const below = (limit: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % limit;
  };
  return { below, bytes: (length: number) => Uint8Array.from({ length }, () => below(256)) };
}

describe('sniffMediaKind', () => {
  it.each(Object.entries(FIXTURE_KINDS))('%s is %s, judged from its first 64 bytes', (name, kind) => {
    expect(sniffMediaKind(fixture(name).subarray(0, 64))).toBe(kind);
    expect(sniffMediaKind(fixture(name))).toBe(kind);
  });

  it('tells ISO-BMFF files apart by their major and compatible brands', () => {
    const ftyp = (major: string, ...compatible: string[]) =>
      bytesOf(u32be(16 + 4 * compatible.length), 'ftyp', major, [0, 0, 0, 0], compatible.join(''), new Uint8Array(48));
    expect(sniffMediaKind(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffMediaKind(ftyp('mif1', 'avis'))).toBe('avif');
    expect(sniffMediaKind(ftyp('M4B ', 'isom'))).toBe('m4a');
    expect(sniffMediaKind(ftyp('mp42', 'M4A '))).toBe('m4a');
    expect(sniffMediaKind(ftyp('qt  '))).toBe('mp4');
    expect(sniffMediaKind(ftyp('isom', 'iso2', 'avc1', 'mp41'))).toBe('mp4');
    expect(sniffMediaKind(bytesOf(u32be(12), 'ftyp', 'isom', new Uint8Array(52)))).toBeNull();
  });

  it('reads the WebM DocType from the EBML header and refuses anything else', () => {
    const webm = fixture('clip.webm');
    const docTypeAt = Buffer.from(webm).indexOf('webm');
    const renamed = Uint8Array.from(webm);
    renamed.set(new TextEncoder().encode('wxbm'), docTypeAt);
    expect(sniffMediaKind(renamed)).toBeNull();
    // Cut inside the header, the DocType cannot be found, so the file cannot be called WebM.
    expect(sniffMediaKind(webm.subarray(0, docTypeAt))).toBeNull();
  });

  it('knows MP3 by an ID3 tag or a Layer III frame header, and nothing else that starts with a sync', () => {
    expect(sniffMediaKind(bytesOf('ID3', [4, 0, 0, 0, 0, 0, 10], new Uint8Array(54)))).toBe('mp3');
    expect(sniffMediaKind(bytesOf('ID3', [9, 0, 0, 0, 0, 0, 10], new Uint8Array(54)))).toBeNull();
    expect(sniffMediaKind(bytesOf([0xff, 0xfb, 0x90, 0x64], new Uint8Array(60)))).toBe('mp3');
    // MPEG-1 Layer II, then ADTS AAC: both begin with a frame sync but are not MP3.
    expect(sniffMediaKind(bytesOf([0xff, 0xfd, 0x90, 0x64], new Uint8Array(60)))).toBeNull();
    expect(sniffMediaKind(bytesOf([0xff, 0xf1, 0x50, 0x80], new Uint8Array(60)))).toBeNull();
  });

  it('returns null for text, empty input and a bare RIFF that is not WebP', () => {
    expect(sniffMediaKind(new TextEncoder().encode('WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n'))).toBeNull();
    expect(sniffMediaKind(new Uint8Array(0))).toBeNull();
    expect(sniffMediaKind(bytesOf('RIFF', [0, 0, 0, 0], 'WAVE', new Uint8Array(52)))).toBeNull();
  });
});

describe('kindsForExtension', () => {
  it('maps each allowed extension, with or without its dot and in any case', () => {
    expect(kindsForExtension('.webm')).toEqual(['webm']);
    expect(kindsForExtension('mp4')).toEqual(['mp4']);
    expect(kindsForExtension('.M4V')).toEqual(['mp4']);
    expect(kindsForExtension('.png')).toEqual(['png']);
    expect(kindsForExtension('.jpg')).toEqual(['jpeg']);
    expect(kindsForExtension('.JPEG')).toEqual(['jpeg']);
    expect(kindsForExtension('.webp')).toEqual(['webp']);
    expect(kindsForExtension('.avif')).toEqual(['avif']);
    expect(kindsForExtension('.mp3')).toEqual(['mp3']);
    expect(kindsForExtension('.m4a')).toEqual(['m4a', 'mp4']);
    expect(kindsForExtension('.ogg')).toEqual(['ogg']);
    expect(kindsForExtension('.opus')).toEqual(['ogg']);
  });

  it('allows nothing for other extensions', () => {
    for (const ext of ['.vtt', '.json', '.md', '.gif', '.mkv', '.constructor', '']) expect(kindsForExtension(ext)).toEqual([]);
  });
});

describe('readImageSize', () => {
  it.each(IMAGE_FIXTURES)('reads 64×36 from %s', (name) => {
    const kind = FIXTURE_KINDS[name] as 'png' | 'jpeg' | 'webp' | 'avif';
    expect(readImageSize(fixture(name), kind)).toEqual({ ok: true, width: 64, height: 36 });
  });

  it('reports a PNG cut short, a bad IHDR CRC and impossible sizes', () => {
    const png = fixture('still.png');
    expect(readImageSize(png.subarray(0, 20), 'png')).toEqual({ ok: false, code: 'image-truncated' });
    expect(readImageSize(png.subarray(0, 4), 'png')).toEqual({ ok: false, code: 'image-truncated' });
    const badCrc = Uint8Array.from(png);
    badCrc[29] = (badCrc[29] ?? 0) ^ 0xff;
    expect(readImageSize(badCrc, 'png')).toEqual({ ok: false, code: 'image-corrupt' });
    const badWidth = Uint8Array.from(png);
    badWidth[19] = 0x41;
    expect(readImageSize(badWidth, 'png')).toEqual({ ok: false, code: 'image-corrupt' });
    expect(readImageSize(pngHeader(0, 0), 'png')).toEqual({ ok: false, code: 'image-dimensions' });
    expect(readImageSize(pngHeader(20000, 100), 'png')).toEqual({ ok: false, code: 'image-dimensions' });
    expect(readImageSize(pngHeader(100, 2 ** 32 - 1), 'png')).toEqual({ ok: false, code: 'image-dimensions' });
    expect(readImageSize(pngHeader(16384, 16384), 'png')).toEqual({ ok: true, width: 16384, height: 16384 });
  });

  it('walks JPEG markers past metadata to the frame header, and stops at the scan', () => {
    expect(readImageSize(jpegWithPadding(200_000), 'jpeg')).toEqual({ ok: true, width: 64, height: 36 });
    expect(readImageSize(jpegWithPadding(200_000).subarray(0, 64 * 1024), 'jpeg')).toEqual({ ok: false, code: 'image-truncated' });
    const scanFirst = bytesOf([0xff, 0xd8, 0xff, 0xda, 0, 8], new Uint8Array(40));
    expect(readImageSize(scanFirst, 'jpeg')).toEqual({ ok: false, code: 'image-corrupt' });
    // DHT shares the SOF code range but has no frame size; fill bytes may precede a marker.
    const dhtThenSof = bytesOf([0xff, 0xd8, 0xff, 0xc4, 0, 4, 1, 2, 0xff, 0xff, 0xc2, 0, 11, 8, 0, 36, 0, 64, 1, 1, 0x11, 0]);
    expect(readImageSize(dhtThenSof, 'jpeg')).toEqual({ ok: true, width: 64, height: 36 });
    expect(readImageSize(bytesOf([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 0, 0, 64, 1]), 'jpeg')).toEqual({ ok: false, code: 'image-dimensions' });
    expect(readImageSize(bytesOf([0xff, 0xd8, 0x12]), 'jpeg')).toEqual({ ok: false, code: 'image-corrupt' });
  });

  it('reads each WebP chunk kind and reports a broken one', () => {
    const vp8 = fixture('still.webp');
    const brokenStartCode = Uint8Array.from(vp8);
    brokenStartCode[23] = 0;
    expect(readImageSize(brokenStartCode, 'webp')).toEqual({ ok: false, code: 'image-corrupt' });
    expect(readImageSize(vp8.subarray(0, 25), 'webp')).toEqual({ ok: false, code: 'image-truncated' });
    const hugeCanvas = Uint8Array.from(fixture('still-alpha.webp'));
    hugeCanvas.set([0x1f, 0x4e, 0x00], 24); // canvas width - 1 = 19999
    expect(readImageSize(hugeCanvas, 'webp')).toEqual({ ok: false, code: 'image-dimensions' });
    expect(readImageSize(bytesOf('RIFF', [0, 0, 0, 0], 'WEBPALPH', new Uint8Array(20)), 'webp')).toEqual({ ok: false, code: 'image-corrupt' });
  });

  it('reports an AVIF cut before its meta box ends, and one without an ispe for the primary item', () => {
    const avif = fixture('still.avif');
    expect(readImageSize(avif.subarray(0, 60), 'avif')).toEqual({ ok: false, code: 'image-truncated' });
    const ispeAt = Buffer.from(avif).indexOf('ispe');
    const renamed = Uint8Array.from(avif);
    renamed.set(new TextEncoder().encode('ispx'), ispeAt);
    expect(readImageSize(renamed, 'avif')).toEqual({ ok: false, code: 'image-corrupt' });
  });
});

describe('parseWebVtt', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const problemsOf = (text: string): VttProblem[] => parseWebVtt(encode(text)).problems;

  const VALID = [
    'WEBVTT - exhibit captions',
    'Kind: captions',
    '',
    'NOTE written by hand',
    'across two lines',
    '',
    'STYLE',
    '::cue { color: yellow }',
    '',
    'intro-1',
    '00:00.000 --> 00:02.500',
    'Welcome.',
    '',
    '00:02.500 --> 00:04.000 align:start position:10% line:0',
    'Two lines',
    'of text.',
    '',
    'NOTE',
    '',
    '3',
    '01:00:05.250 --> 01:00:06.000',
    'An hour in.',
  ];
  const VALID_CUES = [
    { start: 0, end: 2.5, text: 'Welcome.' },
    { start: 2.5, end: 4, text: 'Two lines\nof text.' },
    { start: 3605.25, end: 3606, text: 'An hour in.' },
  ];

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('parses a file with %s line endings, NOTE and STYLE blocks, identifiers and cue settings', (_name, eol) => {
    expect(parseWebVtt(encode(VALID.join(eol) + eol))).toEqual({ cues: VALID_CUES, problems: [] });
  });

  it('accepts a BOM, a bare header line and a file without a final line break', () => {
    const text = '\uFEFFWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi';
    expect(parseWebVtt(encode(text))).toEqual({ cues: [{ start: 1, end: 2, text: 'Hi' }], problems: [] });
  });

  it('starts a new cue at a timing line even without a blank line before it, as browsers do', () => {
    const { cues, problems } = parseWebVtt(encode('WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n00:02.000 --> 00:03.000\nTwo\n'));
    expect(problems).toEqual([]);
    expect(cues.map((cue) => cue.text)).toEqual(['One', 'Two']);
  });

  it.each<[string, string, VttProblem[]]>([
    ['no header', '00:01.000 --> 00:02.000\nHi\n', [{ line: 1, code: 'vtt-header' }]],
    ['a header word run on', 'WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n', [{ line: 1, code: 'vtt-header' }]],
    ['an empty file', '', [{ line: 1, code: 'vtt-header' }]],
    ['a cue swallowed by the header', 'WEBVTT\n00:01.000 --> 00:02.000\nHi\n', [
      { line: 2, code: 'vtt-header' },
      { line: 1, code: 'vtt-no-cues' },
    ]],
    ['SRT commas', 'WEBVTT\n\n1\n00:00:01,000 --> 00:00:02,000\nHi\n', [
      { line: 4, code: 'vtt-timing' },
      { line: 1, code: 'vtt-no-cues' },
    ]],
    ['two millisecond digits', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:02.00 --> 00:03.000\nB\n', [{ line: 6, code: 'vtt-timing' }]],
    ['60 seconds', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:60.000 --> 01:03.000\nB\n', [{ line: 6, code: 'vtt-timing' }]],
    ['60 minutes without hours', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n60:00.000 --> 61:00.000\nB\n', [{ line: 6, code: 'vtt-timing' }]],
    ['settings glued to the end time', 'WEBVTT\n\n00:01.000 --> 00:02.000align:start\nA\n', [
      { line: 3, code: 'vtt-timing' },
      { line: 1, code: 'vtt-no-cues' },
    ]],
    ['an end before the start', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:05.000 --> 00:04.000\nB\n', [{ line: 6, code: 'vtt-timing' }]],
    ['an end equal to the start', 'WEBVTT\n\nx\n00:05.000 --> 00:05.000\nB\n', [{ line: 4, code: 'vtt-timing' }]],
    ['text split off its cue by a blank line', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nstray line\n', [{ line: 6, code: 'vtt-timing' }]],
    ['two lines without a timing', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nid\nnot a timing\n', [{ line: 7, code: 'vtt-timing' }]],
    ['cues out of order', 'WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:04.000 --> 00:07.000\nB\n', [{ line: 6, code: 'vtt-order' }]],
    ['a cue without text', 'WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:02.000 --> 00:03.000\nB\n', [{ line: 3, code: 'vtt-empty-cue' }]],
    ['a cue without text at the end', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:02.000 --> 00:03.000', [{ line: 6, code: 'vtt-empty-cue' }]],
    ['no cues', 'WEBVTT\n\nNOTE nothing here yet\n', [{ line: 1, code: 'vtt-no-cues' }]],
    ['only a header', 'WEBVTT', [{ line: 1, code: 'vtt-no-cues' }]],
  ])('reports %s', (_name, text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  it('reports CRLF files on the same lines as LF ones', () => {
    expect(problemsOf('WEBVTT\r\n\r\n00:05.000 --> 00:06.000\r\nA\r\n\r\n00:04.000 --> 00:07.000\r\nB\r\n')).toEqual([
      { line: 6, code: 'vtt-order' },
    ]);
  });

  it('reports a Latin-1 file as an encoding problem on the line with the first bad byte', () => {
    const latin1 = Buffer.from('WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nCaf\u00e9 du monde\r\n', 'latin1');
    expect(parseWebVtt(latin1)).toEqual({ cues: [], problems: [{ line: 4, code: 'vtt-encoding' }] });
    expect(parseWebVtt(bytesOf([0xc3]))).toEqual({ cues: [], problems: [{ line: 1, code: 'vtt-encoding' }] });
  });
});

describe('preflightFile', () => {
  it.each(Object.entries(FIXTURE_KINDS).filter(([, kind]) => kind !== null))('passes %s', async (name, kind) => {
    const image = IMAGE_FIXTURES.includes(name) ? { width: 64, height: 36 } : {};
    await expect(preflightFile(join(MEDIA, name), extname(name))).resolves.toEqual({ ok: true, kind, ...image });
  });

  it('names the container it found when the extension promises another', async () => {
    const pngAsWebm = writeTemp('video.webm', fixture('still.png'));
    await expect(preflightFile(pngAsWebm, '.webm')).resolves.toEqual({ ok: false, code: 'media-wrong-type', found: 'png' });
    const m4aAsMp4 = writeTemp('video.mp4', fixture('tone.m4a'));
    await expect(preflightFile(m4aAsMp4, '.mp4')).resolves.toEqual({ ok: false, code: 'media-wrong-type', found: 'm4a' });
    const mp4AsM4a = writeTemp('audio.m4a', fixture('clip.mp4'));
    await expect(preflightFile(mp4AsM4a, '.m4a')).resolves.toEqual({ ok: true, kind: 'mp4' });
  });

  it('refuses empty files, unknown containers and Matroska named .webm', async () => {
    await expect(preflightFile(writeTemp('empty.mp4', ''), '.mp4')).resolves.toEqual({ ok: false, code: 'media-empty' });
    await expect(preflightFile(writeTemp('empty.vtt', ''), '.vtt')).resolves.toEqual({ ok: false, code: 'media-empty' });
    await expect(preflightFile(writeTemp('notes.mp4', 'just text'), '.mp4')).resolves.toEqual({
      ok: false,
      code: 'media-unknown-container',
      found: null,
    });
    const mkv = writeTemp('clip.webm', fixture('clip.mkv'));
    await expect(preflightFile(mkv, '.webm')).resolves.toMatchObject({ ok: false, code: 'media-unknown-container' });
  });

  it('passes on the image codes', async () => {
    const cut = writeTemp('cut.png', fixture('still.png').subarray(0, 24));
    await expect(preflightFile(cut, '.png')).resolves.toEqual({ ok: false, code: 'image-truncated' });
    const wide = writeTemp('wide.png', pngHeader(20000, 10));
    await expect(preflightFile(wide, '.png')).resolves.toEqual({ ok: false, code: 'image-dimensions' });
  });

  it('reads further into a JPEG whose frame header follows 200 KB of metadata', async () => {
    const padded = writeTemp('padded.jpg', jpegWithPadding(200_000));
    await expect(preflightFile(padded, '.jpg')).resolves.toEqual({ ok: true, kind: 'jpeg', width: 64, height: 36 });
    const cut = writeTemp('cut.jpg', jpegWithPadding(200_000).subarray(0, 150_000));
    await expect(preflightFile(cut, '.jpg')).resolves.toEqual({ ok: false, code: 'image-truncated' });
    const tooFar = writeTemp('too-far.jpg', jpegWithPadding(700_000));
    await expect(preflightFile(tooFar, '.jpg')).resolves.toEqual({ ok: false, code: 'image-header-too-far' });
  });

  it('parses captions in full and gives the first problem with its line', async () => {
    const good = writeTemp('good.vtt', 'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:02.000 --> 00:03.000\nB\n');
    await expect(preflightFile(good, '.vtt')).resolves.toEqual({ ok: true, kind: 'vtt', cues: 2 });
    const bad = writeTemp('bad.vtt', 'WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:04.000 --> 00:04.000\nB\n');
    await expect(preflightFile(bad, '.VTT')).resolves.toEqual({ ok: false, code: 'vtt-timing', line: 6 });
    const huge = writeTemp('huge.vtt', 'WEBVTT\n\n' + 'x'.repeat(2 * 1024 * 1024));
    await expect(preflightFile(huge, '.vtt')).resolves.toEqual({ ok: false, code: 'vtt-too-large' });
  });

  it('refuses to check files that are not media', async () => {
    const json = writeTemp('pack.json', '{}');
    await expect(preflightFile(json, '.json')).rejects.toThrow(TypeError);
    await expect(preflightFile(json, '.md')).rejects.toThrow(TypeError);
  });
});

describe('robustness', () => {
  const random = randomSource(20240607);
  const IMAGE_KINDS = ['png', 'jpeg', 'webp', 'avif'] as const;
  // Valid openings let random data get past the signature checks into the header walkers.
  const OPENINGS = [
    new Uint8Array(0),
    bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    bytesOf([0xff, 0xd8]),
    bytesOf('RIFF', [0, 0, 0, 0], 'WEBPVP8'),
    bytesOf(u32be(24), 'ftypavif'),
    bytesOf([0x1a, 0x45, 0xdf, 0xa3]),
    bytesOf('WEBVTT\n\n'),
  ];
  const runEverything = (bytes: Uint8Array) => {
    sniffMediaKind(bytes);
    parseWebVtt(bytes);
    for (const kind of IMAGE_KINDS) readImageSize(bytes, kind);
    kindsForExtension(new TextDecoder().decode(bytes.subarray(0, 8)));
  };

  it('never throws on 200 random buffers', () => {
    for (let i = 0; i < 200; i++) {
      const opening = OPENINGS[i % OPENINGS.length] ?? new Uint8Array(0);
      const bytes = bytesOf(opening, random.bytes(i % 3 === 0 ? random.below(64) : 64 + random.below(1024)));
      expect(() => runEverything(bytes), `buffer ${i}`).not.toThrow();
    }
  });

  it('never throws on 200 damaged and shortened copies of the fixtures', () => {
    const names = Object.keys(FIXTURE_KINDS);
    for (let i = 0; i < 200; i++) {
      const copy = Uint8Array.from(fixture(names[i % names.length] ?? 'still.png'));
      // Damage lands in the first bytes, where the headers are.
      for (let hit = 0; hit < 8; hit++) copy[random.below(Math.min(copy.length, 600))] = random.below(256);
      const bytes = copy.subarray(0, random.below(copy.length + 1));
      expect(() => runEverything(bytes), `copy ${i}`).not.toThrow();
    }
  });
});

describe('bundled pack captions', () => {
  // The bundled pack's captions are generated separately; until some exist there is nothing to check.
  const exhibits = join(REPO, 'exhibits');
  const captions = existsSync(exhibits)
    ? readdirSync(exhibits, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.vtt'))
    : [];

  it('every .vtt under exhibits/ parses without problems', () => {
    expect(captions.length).toBeGreaterThan(0);
    const problemsByFile = Object.fromEntries(
      captions.map((file) => [file, parseWebVtt(new Uint8Array(readFileSync(join(exhibits, file)))).problems]),
    );
    expect(problemsByFile).toEqual(Object.fromEntries(captions.map((file) => [file, []])));
  });
});

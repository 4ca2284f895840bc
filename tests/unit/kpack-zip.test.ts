import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../electron/core/packs/zip/limits';
import { extractKpack, inspectKpack } from '../../electron/core/packs/zip/read-kpack';
import { writeKpack } from '../../electron/core/packs/zip/write-kpack';
import { ZipSafetyError, type ZipSafetyCode } from '../../electron/core/packs/zip/zip-safety-error';
import { buildZip, writeSparseZeroZip, writeZip, type RawEntry } from '../helpers/make-zip';
import { tempDir } from '../helpers/temp-dir';

const CLIP = randomBytes(300_000);
const PACK_FILES: Record<string, Buffer> = {
  'pack.json': Buffer.from(JSON.stringify({ id: 'org.example.zip', version: '1.0.0', note: 'x'.repeat(2000) })),
  'media/clip.mp4': CLIP,
  'text/领事保护说明.txt': Buffer.from('领事保护进万家\n'.repeat(500)),
  'a/b/c/deep.md': Buffer.from('# Deep\n'),
  'empty.txt': Buffer.alloc(0),
};

function makePackFolder(): { root: string; files: string[] } {
  const root = tempDir('kpack-src-');
  for (const [name, content] of Object.entries(PACK_FILES)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return { root, files: Object.keys(PACK_FILES) };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const hasCommand = (command: string) => spawnSync(command, ['-h'], { stdio: 'ignore' }).status === 0;

async function expectRefusal(promise: Promise<unknown>, code: ZipSafetyCode, entry: string | null): Promise<ZipSafetyError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ZipSafetyError);
  expect(error).toMatchObject({ code, entry });
  return error as ZipSafetyError;
}

describe('writeKpack and extractKpack', () => {
  it('round-trips nested text, media and a Chinese file name byte for byte', async () => {
    const { root, files } = makePackFolder();
    const pack = join(tempDir(), 'pack.kpack');
    const progress: number[] = [];
    await writeKpack(root, files, pack, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(Object.values(PACK_FILES).reduce((sum, content) => sum + content.length, 0));
    expect(existsSync(`${pack}.tmp`)).toBe(false);

    const entries = await inspectKpack(pack);
    expect(entries.map((entry) => entry.name)).toEqual([...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(byName.get('media/clip.mp4')).toMatchObject({ size: CLIP.length, compressedSize: CLIP.length, isDirectory: false });
    expect(byName.get('text/领事保护说明.txt')?.compressedSize).toBeLessThan(PACK_FILES['text/领事保护说明.txt']!.length / 10);

    const dest = join(tempDir(), 'out');
    await extractKpack(pack, dest);
    for (const [name, content] of Object.entries(PACK_FILES)) expect(readFileSync(join(dest, name)).equals(content)).toBe(true);
  });

  it('gives identical bytes for identical content, whatever the mtimes and the order of the list', async () => {
    const { root, files } = makePackFolder();
    const out = tempDir();
    await writeKpack(root, files, join(out, 'first.kpack'));
    for (const name of files) utimesSync(join(root, name), new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));
    await writeKpack(root, [...files].reverse(), join(out, 'second.kpack'));
    expect(sha256(join(out, 'second.kpack'))).toBe(sha256(join(out, 'first.kpack')));
  });

  // Skipped only where python3 is missing: an independent reader is the point, and there is no other here.
  it.skipIf(!hasCommand('python3'))('writes zips that an independent reader (Python zipfile) accepts', async () => {
    const { root, files } = makePackFolder();
    const pack = join(tempDir(), 'pack.kpack');
    await writeKpack(root, files, pack);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([[i.filename, i.flag_bits & 0x800, i.external_attr >> 16, list(i.date_time), len(i.extra)] for i in z.infolist()]))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script, pack], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const infos = JSON.parse(result.stdout) as [string, number, number, number[], number][];
    expect(infos.map(([name]) => name).sort()).toEqual([...files].sort());
    for (const [, utf8Flag, mode, dateTime, extraLength] of infos) {
      expect([utf8Flag, mode, dateTime, extraLength]).toEqual([0x800, 0o100644, [1980, 1, 1, 0, 0, 0], 0]);
    }
  });

  // Skipped only where Info-ZIP is missing (.ci/run installs it): the archive must come from another tool.
  it.skipIf(!hasCommand('zip'))('extracts a zip made by Info-ZIP, with folder entries and extra fields', async () => {
    const { root } = makePackFolder();
    const pack = join(tempDir(), 'infozip.zip');
    expect(spawnSync('zip', ['-qr', pack, '.'], { cwd: root }).status).toBe(0);
    const dest = join(tempDir(), 'out');
    const entries = await extractKpack(pack, dest);
    expect(entries.filter((entry) => entry.isDirectory).map((entry) => entry.name)).toContain('a/b/c/');
    for (const [name, content] of Object.entries(PACK_FILES)) expect(readFileSync(join(dest, name)).equals(content)).toBe(true);
  });

  it('refuses to write names the reader would refuse, and more entries than a zip without Zip64 holds', async () => {
    const { root } = makePackFolder();
    const pack = join(tempDir(), 'pack.kpack');
    await expectRefusal(writeKpack(root, ['pack.json', '../pack.json'], pack), 'zip-parent-path', '../pack.json');
    await expectRefusal(writeKpack(root, ['pack.json', 'PACK.json'], pack), 'zip-case-collision', 'pack.json');
    await expect(writeKpack(root, Array.from({ length: 65_536 }, (_, i) => `f${i}`), pack)).rejects.toThrow(/Zip64/);
    expect(existsSync(pack) || existsSync(`${pack}.tmp`)).toBe(false);
  });
});

const small = (overrides: Partial<ZipLimits>): ZipLimits => ({ ...DEFAULT_ZIP_LIMITS, ...overrides });
const text = (content: string) => Buffer.from(content);

describe('hostile archives are refused before anything is written', () => {
  const cases: [string, RawEntry[], ZipSafetyCode, string | null, ZipLimits?][] = [
    ['an absolute path', [{ name: '/etc/evil', data: text('x') }], 'zip-absolute-path', '/etc/evil'],
    ['a drive letter', [{ name: 'C:/evil', data: text('x') }], 'zip-absolute-path', 'C:/evil'],
    ['a leading ..', [{ name: '../evil', data: text('x') }], 'zip-parent-path', '../evil'],
    ['a .. that climbs out later', [{ name: 'a/../../evil', data: text('x') }], 'zip-parent-path', 'a/../../evil'],
    ['a backslash', [{ name: 'a\\evil', data: text('x') }], 'zip-backslash', 'a\\evil'],
    ['a symlink', [{ name: 'link', data: text('/etc/passwd'), unixMode: 0o120777 }], 'zip-symlink', 'link'],
    ['a device file', [{ name: 'tty', unixMode: 0o020644 }], 'zip-symlink', 'tty'],
    ['names differing in case', [{ name: 'Media/A.png' }, { name: 'media/a.png' }], 'zip-case-collision', 'media/a.png'],
    ['names differing in Unicode form', [{ name: 'caf\u00e9.txt' }, { name: 'cafe\u0301.txt' }], 'zip-case-collision', 'cafe\u0301.txt'],
    ['a file where a folder is needed', [{ name: 'media' }, { name: 'media/a.png' }], 'zip-case-collision', 'media/a.png'],
    ['the same name twice', [{ name: 'a.txt' }, { name: 'a.txt' }], 'zip-case-collision', 'a.txt'],
    ['an entry over maxEntryBytes', [{ name: 'big.bin', data: Buffer.alloc(200) }], 'zip-entry-too-large', 'big.bin', small({ maxEntryBytes: 100 })],
    [
      'a total over maxTotalBytes',
      ['a', 'b', 'c'].map((name) => ({ name: `${name}.bin`, data: Buffer.alloc(100) })),
      'zip-total-too-large',
      'c.bin',
      small({ maxTotalBytes: 250 }),
    ],
    ['a zip bomb (50 MB of zeros)', [{ name: 'bomb.bin', data: Buffer.alloc(50_000_000), method: 8 }], 'zip-ratio', 'bomb.bin'],
    ['too many entries', ['a', 'b', 'c', 'd'].map((name) => ({ name })), 'zip-too-many-entries', null, small({ maxEntries: 3 })],
    ['an encrypted entry', [{ name: 'secret.txt', data: text('x'), flags: 0x0801 }], 'zip-encrypted', 'secret.txt'],
    ['an unknown compression method', [{ name: 'a.bz2', data: text('x'), method: 12 }], 'zip-unsupported', 'a.bz2'],
    ['a Windows device name', [{ name: 'notes/con.txt', data: text('x') }], 'zip-unsupported', 'notes/con.txt'],
    ['an NTFS stream name', [{ name: 'a.txt:hidden', data: text('x') }], 'zip-unsupported', 'a.txt:hidden'],
    ['a name in a legacy code page (GBK)', [{ name: Buffer.from([0xc1, 0xec, 0x2e, 0x74]), flags: 0 }], 'zip-unsupported', '\ufffd\ufffd.t'],
    ['overlapping entries', [{ name: 'a.txt', data: text('xyz') }, { name: 'b.txt', data: text('xyz'), lie: { localHeaderOffset: 0 } }], 'zip-corrupt', 'a.txt'],
  ];

  it.each(cases)('%s', async (_label, entries, code, entry, limits) => {
    const work = tempDir();
    const zip = writeZip(work, 'hostile.kpack', entries);
    await expectRefusal(inspectKpack(zip, limits), code, entry);
    const dest = join(work, 'dest');
    await expectRefusal(extractKpack(zip, dest, { limits }), code, entry);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses random bytes, an empty file and a truncated pack as corrupt', async () => {
    const work = tempDir();
    const whole = buildZip([{ name: 'a.txt', data: text('hello') }, { name: 'b.txt', data: text('world') }]);
    for (const [name, bytes] of [
      ['random', randomBytes(4096)],
      ['empty', Buffer.alloc(0)],
      ['truncated', whole.subarray(0, whole.length - 30)],
    ] as const) {
      writeFileSync(join(work, name), bytes);
      await expectRefusal(inspectKpack(join(work, name)), 'zip-corrupt', null);
    }
  });
});

describe('extraction holds entries to what the central directory declared', () => {
  const goodThenBad = (bad: RawEntry): RawEntry[] => [{ name: 'good/first.txt', data: text('fine') }, bad];

  it('stops a deflated entry at its declared size, fails, and leaves no files behind', async () => {
    const work = tempDir();
    const zip = writeZip(
      work,
      'liar.kpack',
      goodThenBad({ name: 'liar.bin', data: Buffer.alloc(1_000_000, 7), method: 8, lie: { size: 1000 } }),
    );
    const dest = join(work, 'dest');
    let mostSeen = 0;
    let declaredTotal = 0;
    const error = await expectRefusal(
      extractKpack(zip, dest, {
        onProgress: (done, total) => {
          mostSeen = Math.max(mostSeen, done);
          declaredTotal = total;
        },
      }),
      'zip-corrupt',
      'liar.bin',
    );
    expect(error.detail.reason).toBe('larger-than-declared');
    expect(declaredTotal).toBe(1004);
    expect(mostSeen).toBeLessThanOrEqual(declaredTotal);
    expect(existsSync(dest)).toBe(false);
  });

  it.each([
    ['crc-mismatch', { lie: { crc32: 0x12345678 } }],
    ['smaller-than-declared', { method: 8, lie: { size: 5000 } }],
  ] as const)('refuses %s and empties a destination folder that already existed', async (reason, lie) => {
    const work = tempDir();
    const zip = writeZip(work, 'bad.kpack', goodThenBad({ name: 'bad.txt', data: text('x'.repeat(4000)), ...lie }));
    const dest = join(work, 'dest');
    mkdirSync(dest);
    const error = await expectRefusal(extractKpack(zip, dest), 'zip-corrupt', 'bad.txt');
    expect(error.detail.reason).toBe(reason);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('will not extract into a folder that is not empty', async () => {
    const work = tempDir();
    const zip = writeZip(work, 'ok.kpack', [{ name: 'a.txt', data: text('a') }]);
    const dest = join(work, 'dest');
    mkdirSync(dest);
    writeFileSync(join(dest, 'keep.txt'), 'mine');
    await expect(extractKpack(zip, dest)).rejects.toThrow(/not empty/);
    expect(readdirSync(dest)).toEqual(['keep.txt']);
  });

  it('extracts a 200 MB entry with bounded memory', async () => {
    const work = tempDir();
    const size = 200 * 1024 * 1024;
    const zip = join(work, 'big.kpack');
    writeSparseZeroZip(zip, 'media/big.mp4', size);
    const before = process.memoryUsage().rss;
    let peak = before;
    await extractKpack(zip, join(work, 'dest'), { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
    expect(statSync(join(work, 'dest', 'media', 'big.mp4')).size).toBe(size);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});

import type { Database } from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type BundleManifest } from '../../electron/core/log/bundle/bundle-format';
import { describeBundleProblem } from '../../electron/core/log/bundle/bundle-problems';
import { verifyBundle } from '../../electron/core/log/bundle/verify-bundle';
import { BundleRangeError, writeBundle, type WriteBundleOptions } from '../../electron/core/log/bundle/write-bundle';
import { GENESIS_HASH } from '../../electron/core/log/event-chain';
import { writeKpack } from '../../electron/core/packs/zip/write-kpack';
import { addVisits, editLine, readManifest, rebuildBundle, refreshFileEntry, resign, writeManifest } from '../helpers/bundle-fixtures';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

const bundleOptions = (outDir: string, range: WriteBundleOptions['range'] = { kind: 'since-last' }): WriteBundleOptions => ({
  outDir,
  now: Date.parse('2026-12-01T09:00:00Z'),
  appVersion: '1.0.0',
  range,
});

const exportRows = (kiosk: { db: Database }) =>
  kiosk.db.prepare("SELECT target, range, from_seq, to_seq, rows FROM export WHERE format = 'bundle' ORDER BY export_id").all();

async function kioskWithBundle(visits = 3) {
  const kiosk = await tempKiosk();
  await addVisits(kiosk, visits);
  const outDir = tempDir('kiosk-bundles-');
  const result = await writeBundle(kiosk.db, bundleOptions(outDir));
  return { kiosk, outDir, result };
}

describe('writeBundle', () => {
  it('writes a signed bundle that verifies, with the manifest describing exactly what it holds', async () => {
    const { kiosk, result } = await kioskWithBundle(3);
    const head = kiosk.db.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const kioskId = (kiosk.db.prepare('SELECT kiosk_id FROM kiosk').get() as { kiosk_id: string }).kiosk_id;
    expect(basename(result.file)).toBe(`${kioskId}_1-${head.seq}.kbundle`);
    expect(result).toMatchObject({ rows: head.seq, fromSeq: 1, toSeq: head.seq, bytes: statSync(result.file).size });

    const verdict = await verifyBundle(result.file);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.sha256).toBe(result.sha256);
    const manifest = verdict.manifest!;
    expect(manifest.seq).toEqual({ from: 1, to: head.seq, prevHash: GENESIS_HASH, headHash: head.hash });
    expect(manifest.counts).toMatchObject({ events: head.seq, visits: 3 });
    expect(manifest.packVersions).toHaveLength(1);
    expect(manifest.appVersion).toBe('1.0.0');
    expect(manifest.createdAt).toBe('2026-12-01T09:00:00.000Z');
    expect(exportRows(kiosk)).toEqual([
      { target: 'events', range: 'since-last', from_seq: 1, to_seq: head.seq, rows: head.seq },
      expect.objectContaining({ target: 'audit', range: 'since-last' }),
    ]);
    kiosk.close();
  });

  it('continues where the last bundle stopped: the second one chains onto the first and holds only new events', async () => {
    const { kiosk, outDir, result: first } = await kioskWithBundle(2);
    await addVisits(kiosk, 2);
    const second = await writeBundle(kiosk.db, bundleOptions(outDir));
    expect(second.fromSeq).toBe(first.toSeq + 1);
    const [a, b] = [(await verifyBundle(first.file)).manifest!, (await verifyBundle(second.file)).manifest!];
    expect(b.seq.prevHash).toBe(a.seq.headHash);
    expect(b.counts.events).toBe(second.toSeq - second.fromSeq + 1);
    expect(b.counts.visits).toBe(2);
    kiosk.close();
  });

  it('with nothing new writes an empty, signed bundle under a new name and never overwrites one', async () => {
    const { kiosk, outDir, result: first } = await kioskWithBundle(1);
    const empty1 = await writeBundle(kiosk.db, bundleOptions(outDir));
    const empty2 = await writeBundle(kiosk.db, bundleOptions(outDir));
    expect(empty1).toMatchObject({ rows: 0, fromSeq: first.toSeq + 1, toSeq: first.toSeq });
    expect(empty2.file).not.toBe(empty1.file);
    expect(readdirSync(outDir).sort()).toEqual([basename(first.file), basename(empty1.file), basename(empty2.file)].sort());
    const verdict = await verifyBundle(empty1.file);
    expect(verdict.ok).toBe(true);
    expect(verdict.manifest!.seq.prevHash).toBe(verdict.manifest!.seq.headHash);
    kiosk.close();
  });

  it('--all re-sends every event and counts as a watermark', async () => {
    const { kiosk, outDir, result: first } = await kioskWithBundle(2);
    const all = await writeBundle(kiosk.db, bundleOptions(outDir, { kind: 'all' }));
    expect(all).toMatchObject({ fromSeq: 1, toSeq: first.toSeq, rows: first.toSeq });
    expect((await verifyBundle(all.file)).ok).toBe(true);
    kiosk.close();
  });

  it('refuses a date range in both languages and records nothing', async () => {
    const kiosk = await tempKiosk();
    await addVisits(kiosk, 1);
    const outDir = tempDir();
    await expect(writeBundle(kiosk.db, bundleOptions(outDir, { kind: 'dates', from: '2026-11-30', to: '2026-11-30' }))).rejects.toThrow(BundleRangeError);
    await expect(writeBundle(kiosk.db, bundleOptions(outDir, { kind: 'dates', from: '2026-11-30', to: '2026-11-30' }))).rejects.toThrow(/同步包.*A sync bundle/s);
    expect(exportRows(kiosk)).toEqual([]);
    expect(readdirSync(outDir)).toEqual([]);
    kiosk.close();
  });

  it('a failure half way through writing the zip leaves the watermark where it was, and the next run carries those events', async () => {
    const kiosk = await tempKiosk();
    await addVisits(kiosk, 2);
    const outDir = tempDir();
    const dying: typeof writeKpack = async (_root, _files, outPath) => {
      writeFileSync(`${outPath}.tmp`, 'PK\x03\x04 half a zip');
      throw new Error('power cut');
    };
    await expect(writeBundle(kiosk.db, { ...bundleOptions(outDir), zip: dying })).rejects.toThrow('power cut');
    expect(exportRows(kiosk)).toEqual([]);
    const next = await writeBundle(kiosk.db, bundleOptions(outDir));
    expect(next.fromSeq).toBe(1);
    expect(next.rows).toBeGreaterThan(0);
    expect(existsSync(next.file)).toBe(true);
    expect((await verifyBundle(next.file)).ok).toBe(true);
    kiosk.close();
  });

  it('refuses to bundle a log whose chain was edited behind its back, and records nothing', async () => {
    const kiosk = await tempKiosk();
    await addVisits(kiosk, 2);
    kiosk.db.exec('DROP TRIGGER event_append_only_update');
    kiosk.db.prepare("UPDATE event SET data = '{\"forged\":true}' WHERE seq = 3").run();
    await expect(writeBundle(kiosk.db, bundleOptions(tempDir()))).rejects.toThrow(/seq 3/);
    expect(exportRows(kiosk)).toEqual([]);
    kiosk.close();
  });
});

describe('verifyBundle finds what was done to a bundle', () => {
  const codes = async (file: string) => (await verifyBundle(file)).problems.map((p) => p.code);

  it('an edited event line: the file hash and the chain at that seq', async () => {
    const { kiosk, result } = await kioskWithBundle(2);
    // Same length, so it is the hash (not the size) that gives it away.
    const edited = await rebuildBundle(result.file, (dir) => editLine(dir, 'events.ndjson', 2, (row) => (row.t_ms = 4_001)));
    const verdict = await verifyBundle(edited);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContainEqual({ code: 'file-hash', file: 'events.ndjson' });
    expect(verdict.problems).toContainEqual({ code: 'hash-mismatch', seq: 3 });
    expect(verdict.problems.map((p) => describeBundleProblem(p, 'en')).join('\n')).toMatch(/events\.ndjson: the hash chain breaks at seq 3/);
    expect(verdict.problems.map((p) => describeBundleProblem(p, 'zh-CN')).join('\n')).toMatch(/序号 3/);
    kiosk.close();
  });

  it('an edited file with its sha256 updated in the manifest: the signature fails', async () => {
    const { kiosk, result } = await kioskWithBundle(2);
    const edited = await rebuildBundle(result.file, (dir) => {
      editLine(dir, 'visits.ndjson', 0, (row) => (row.locale = 'en'));
      refreshFileEntry(dir, 'visits.ndjson');
    });
    expect(await codes(edited)).toEqual(['signature-invalid']);
    kiosk.close();
  });

  it('an event deleted from the middle, with the manifest updated: signature, seq run and count', async () => {
    const { kiosk, result } = await kioskWithBundle(2);
    const edited = await rebuildBundle(result.file, (dir) => {
      const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').split('\n');
      lines.splice(4, 1);
      writeFileSync(join(dir, 'events.ndjson'), lines.join('\n'));
      refreshFileEntry(dir, 'events.ndjson');
    });
    expect(await codes(edited)).toEqual(expect.arrayContaining(['signature-invalid', 'seq-out-of-order', 'count-mismatch']));
    kiosk.close();
  });

  it('a truncated bundle: the zip check', async () => {
    const { kiosk, result } = await kioskWithBundle(2);
    truncateSync(result.file, Math.floor(statSync(result.file).size / 2));
    const verdict = await verifyBundle(result.file);
    expect(verdict.problems).toEqual([expect.objectContaining({ code: 'zip-unsafe' })]);
    expect(describeBundleProblem(verdict.problems[0]!, 'zh-CN')).toMatch(/压缩包/);
    kiosk.close();
  });

  it('a signature that is not the kiosk key’s: garbage in the field, or another key passed off as the kiosk’s', async () => {
    const { kiosk, result } = await kioskWithBundle(1);
    const garbage = await rebuildBundle(result.file, (dir) => writeManifest(dir, { ...readManifest(dir), signature: Buffer.alloc(64, 7).toString('base64') }));
    expect(await codes(garbage)).toEqual(['signature-invalid']);
    // Signed by an impostor's key while the manifest still names the kiosk's own public key.
    const impostor = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const wrongKey = await rebuildBundle(result.file, (dir) => {
      const manifest = readManifest(dir);
      resign(dir, impostor.privateKey, impostor.publicKey);
      writeManifest(dir, { ...readManifest(dir), kiosk: manifest.kiosk });
    });
    expect(await codes(wrongKey)).toEqual(['signature-invalid']);
    kiosk.close();
  });

  it('a manifest of an unknown format version, and one that is not JSON', async () => {
    const { kiosk, result } = await kioskWithBundle(1);
    const future = await rebuildBundle(result.file, (dir) => writeManifest(dir, { ...readManifest(dir), formatVersion: 99 }));
    const verdict = await verifyBundle(future);
    expect(verdict.problems).toEqual([{ code: 'format-unknown', found: 'kiosk-sync-bundle v99' }]);
    expect(describeBundleProblem(verdict.problems[0]!, 'en')).toMatch(/unknown bundle format.*newer version/);
    const broken = await rebuildBundle(result.file, (dir) => writeFileSync(join(dir, 'manifest.json'), '{"format":'));
    expect(await codes(broken)).toEqual(['manifest-unreadable']);
    kiosk.close();
  });

  it('a missing or an extra file', async () => {
    const dir = tempDir();
    await writeKpack(dir, [], join(dir, 'empty.kbundle'));
    expect(await codes(join(dir, 'empty.kbundle'))).toEqual(expect.arrayContaining(['entry-missing']));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'kiosk-sync-bundle', formatVersion: 1 }));
    writeFileSync(join(dir, 'extra.txt'), 'hello');
    await writeKpack(dir, ['manifest.json', 'extra.txt'], join(dir, 'odd.kbundle'));
    expect(await codes(join(dir, 'odd.kbundle'))).toEqual(expect.arrayContaining(['entry-unexpected', 'entry-missing', 'manifest-invalid']));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth so the signed bytes do not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
    const manifest = { seq: { to: 2, from: 1 }, kiosk: { id: 'k' } } as unknown as BundleManifest;
    expect(canonicalJson(manifest)).toBe(canonicalJson({ kiosk: { id: 'k' }, seq: { from: 1, to: 2 } }));
  });
});

import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundle, type WriteBundleResult } from '../../electron/core/log/bundle/write-bundle';
import { FLEET_APPLICATION_ID } from '../../electron/core/log/fleet/fleet-schema';
import { describeMergeProblem, mergeBundles, type MergeOutcome } from '../../electron/core/log/fleet/merge-bundle';
import { FleetOpenError, openFleetDatabase } from '../../electron/core/log/fleet/open-fleet';
import { verifyFleet } from '../../electron/core/log/fleet/verify-fleet';
import { dataPaths } from '../../electron/core/paths';
import { addVisits, editLine, readManifest, rebuildBundle, refreshFileEntry, resign, writeManifest, type TestKiosk } from '../helpers/bundle-fixtures';
import { REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const bundle = (kiosk: TestKiosk, outDir: string, range: 'since-last' | 'all' = 'since-last') =>
  writeBundle(kiosk.db, { outDir, now: kiosk.clock.now(), appVersion: '1.0.0', range: { kind: range } });

function fleet() {
  const file = join(tempDir('kiosk-fleet-'), 'fleet.sqlite');
  const db = openFleetDatabase(file, { create: true });
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const merge = (...files: string[]) => mergeBundles(db, files, { now: NOW });
  return { file, db, count, merge };
}

/** A kiosk with two consecutive bundles: the first covers 2 visits, the second 3 more. */
async function twoBundles() {
  const kiosk = await tempKiosk();
  const outDir = tempDir('kiosk-bundles-');
  await addVisits(kiosk, 2);
  const first = await bundle(kiosk, outDir);
  await addVisits(kiosk, 3);
  const second = await bundle(kiosk, outDir);
  return { kiosk, outDir, first, second };
}

const merged = (outcome: MergeOutcome | undefined) => {
  if (outcome?.status !== 'merged') throw new Error(`expected merged, got ${JSON.stringify(outcome)}`);
  return outcome;
};
const refusedCodes = (outcome: MergeOutcome | undefined) => (outcome?.status === 'refused' ? outcome.problems.map((p) => p.code) : [`not refused: ${outcome?.status}`]);

describe('mergeBundles', () => {
  it('merges consecutive bundles in order, holding every event once with no gaps', async () => {
    const { kiosk, first, second } = await twoBundles();
    const f = fleet();
    const report = await f.merge(first.file, second.file);
    expect(merged(report.bundles[0])).toMatchObject({ inserted: first.rows, duplicates: 0, fromSeq: 1, toSeq: first.toSeq });
    expect(merged(report.bundles[1])).toMatchObject({ inserted: second.rows, duplicates: 0, fromSeq: first.toSeq + 1 });
    expect(f.count('fleet_event')).toBe(second.toSeq);
    expect(f.count('fleet_visit')).toBe(5);
    expect(f.count('fleet_bundle')).toBe(2);
    expect(report.kiosks).toHaveLength(1);
    expect(report.kiosks[0]).toMatchObject({ events: second.toSeq, held: [{ from: 1, to: second.toSeq }], missing: [] });
    expect(verifyFleet(f.db).ok).toBe(true);
    kiosk.close();
  });

  it('merges them in reverse order too, reporting the gap while only the second is there', async () => {
    const { kiosk, first, second } = await twoBundles();
    const f = fleet();
    const onlySecond = await f.merge(second.file);
    expect(merged(onlySecond.bundles[0]).inserted).toBe(second.rows);
    expect(onlySecond.kiosks[0]!.missing).toEqual([{ from: 1, to: first.toSeq }]);
    expect(verifyFleet(f.db)).toMatchObject({ ok: true, kiosks: [{ missing: [{ from: 1, to: first.toSeq }] }] });
    const both = await f.merge(first.file);
    expect(merged(both.bundles[0]).inserted).toBe(first.rows);
    expect(both.kiosks[0]!.missing).toEqual([]);
    expect(f.count('fleet_event')).toBe(second.toSeq);
    kiosk.close();
  });

  it('an empty bundle merged alone still reveals the seqs the fleet has not received', async () => {
    const { kiosk, outDir, second } = await twoBundles();
    const empty = await bundle(kiosk, outDir);
    expect(empty.rows).toBe(0);
    const f = fleet();
    const report = await f.merge(empty.file);
    expect(merged(report.bundles[0])).toMatchObject({ inserted: 0, duplicates: 0 });
    expect(report.kiosks[0]).toMatchObject({ events: 0, missing: [{ from: 1, to: second.toSeq }] });
    kiosk.close();
  });

  it('re-merging the same file reports "already merged, 0 new" and changes nothing', async () => {
    const { kiosk, first, second } = await twoBundles();
    const f = fleet();
    await f.merge(first.file, second.file);
    const counts = ['fleet_event', 'fleet_visit', 'fleet_audit', 'fleet_bundle'].map(f.count);
    // A copy under another name is the same bundle.
    const copy = join(tempDir(), 'renamed.kbundle');
    copyFileSync(first.file, copy);
    const again = await f.merge(first.file, copy);
    expect(again.bundles.map((b) => b.status)).toEqual(['already-merged', 'already-merged']);
    expect(again.bundles[0]).toMatchObject({ inserted: 0, duplicates: first.rows });
    expect(['fleet_event', 'fleet_visit', 'fleet_audit', 'fleet_bundle'].map(f.count)).toEqual(counts);
    kiosk.close();
  });

  it('a replayed bundle (everything re-sent with --all) adds 0 new events', async () => {
    const { kiosk, outDir, first, second } = await twoBundles();
    const f = fleet();
    await f.merge(first.file, second.file);
    const all = await bundle(kiosk, outDir, 'all');
    const replay = await f.merge(all.file);
    expect(merged(replay.bundles[0])).toMatchObject({ inserted: 0, duplicates: second.toSeq });
    expect(f.count('fleet_event')).toBe(second.toSeq);
    kiosk.close();
  });

  it('a visit open in one bundle and ended in the next ends up ended, whichever is merged first', async () => {
    const kiosk = await tempKiosk();
    const outDir = tempDir();
    const { visitId } = await kiosk.service.startVisit({ locale: 'en' });
    await kiosk.service.logEvents({ visitId, events: [{ type: 'exhibit.open', tMs: 100, exhibitId: 'x', data: {} }] });
    const open = await bundle(kiosk, outDir);
    kiosk.clock.advance(5_000);
    await kiosk.service.endVisit({ visitId, reason: 'idle' });
    const ended = await bundle(kiosk, outDir);
    for (const order of [[open, ended], [ended, open]] as WriteBundleResult[][]) {
      const f = fleet();
      await f.merge(...order.map((b) => b.file));
      expect(f.db.prepare('SELECT end_reason, ended_at IS NOT NULL AS ended FROM fleet_visit WHERE visit_id = ?').get(visitId)).toEqual({ end_reason: 'idle', ended: 1 });
    }
    kiosk.close();
  });

  it('refuses tampered, truncated, wrongly signed and foreign bundles whole, while the good ones in the same run go in', async () => {
    const { kiosk, first, second } = await twoBundles();
    const edited = await rebuildBundle(second.file, (dir) => editLine(dir, 'events.ndjson', 1, (row) => (row.item_id = 'forged')), 'edited.kbundle');
    const resha = await rebuildBundle(
      second.file,
      (dir) => {
        editLine(dir, 'events.ndjson', 1, (row) => (row.item_id = 'forged'));
        refreshFileEntry(dir, 'events.ndjson');
      },
      'resha.kbundle',
    );
    const truncated = join(tempDir(), 'truncated.kbundle');
    copyFileSync(second.file, truncated);
    truncateSync(truncated, statSync(truncated).size - 30);
    const foreign = await rebuildBundle(second.file, (dir) => writeManifest(dir, { ...readManifest(dir), formatVersion: 2 }), 'foreign.kbundle');
    const badSignature = await rebuildBundle(second.file, (dir) => writeManifest(dir, { ...readManifest(dir), signature: 'AAAA' }), 'badsig.kbundle');

    const f = fleet();
    const report = await f.merge(edited, resha, truncated, foreign, badSignature, first.file);
    expect(refusedCodes(report.bundles[0])).toEqual(['file-size', 'hash-mismatch']);
    expect(refusedCodes(report.bundles[1])).toEqual(expect.arrayContaining(['signature-invalid', 'hash-mismatch']));
    expect(refusedCodes(report.bundles[2])).toEqual(['zip-unsafe']);
    expect(refusedCodes(report.bundles[3])).toEqual(['format-unknown']);
    expect(refusedCodes(report.bundles[4])).toEqual(['signature-invalid']);
    expect(merged(report.bundles[5]).inserted).toBe(first.rows);
    // Only the good bundle's rows are there: nothing of the refused ones, not even a visit.
    expect(f.count('fleet_event')).toBe(first.rows);
    expect(f.count('fleet_visit')).toBe(2);
    expect(f.count('fleet_bundle')).toBe(1);
    kiosk.close();
  });

  it('trusts the first key seen for a kiosk id and refuses a bundle signed by another key for it', async () => {
    const { kiosk, first } = await twoBundles();
    const impostor = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    // Valid on its own (signed by the key it names), but not the key the fleet knows for this kiosk.
    const forged = await rebuildBundle(
      first.file,
      (dir) => resign(dir, impostor.privateKey, impostor.publicKey),
      'impostor.kbundle',
    );
    const f = fleet();
    await f.merge(first.file);
    const before = f.count('fleet_event');
    const report = await f.merge(forged);
    expect(refusedCodes(report.bundles[0])).toEqual(['key-mismatch']);
    expect(describeMergeProblem({ code: 'key-mismatch', kioskId: 'k' }, 'zh-CN')).toMatch(/另一把密钥/);
    expect(f.count('fleet_event')).toBe(before);
    // The impostor goes first in a fresh fleet: then the real kiosk's bundle is the one refused.
    const g = fleet();
    await g.merge(forged);
    expect(refusedCodes((await g.merge(first.file)).bundles[0])).toEqual(['key-mismatch']);
    kiosk.close();
  });

  it('refuses a bundle from a forked log: one that does not follow the held chain, or holds other events at held seqs', async () => {
    const a = await tempKiosk();
    const outA = tempDir();
    await addVisits(a, 1);
    const base = await bundle(a, outA);
    a.close();
    // B is a copy of A's log (same identity and keys) that then lives a different life.
    const dataB = tempDir();
    mkdirSync(dataB, { recursive: true });
    copyFileSync(dataPaths(a.dataDir).database, dataPaths(dataB).database);
    const kioskA = await tempKiosk(a.dataDir);
    const kioskB = await tempKiosk(dataB);
    kioskB.clock.advance(60_000);
    const outB = tempDir();
    await addVisits(kioskA, 1);
    await addVisits(kioskB, 1);
    const nextA = await bundle(kioskA, outA);
    const nextB = await bundle(kioskB, outB);
    await addVisits(kioskB, 1);
    const laterB = await bundle(kioskB, outB);

    const f = fleet();
    await f.merge(base.file, nextA.file);
    const before = f.count('fleet_event');
    const report = await f.merge(nextB.file, laterB.file);
    expect(refusedCodes(report.bundles[0])).toEqual(['seq-conflict']);
    expect(refusedCodes(report.bundles[1])).toEqual(['prev-mismatch']);
    expect(f.count('fleet_event')).toBe(before);
    expect(f.count('fleet_visit')).toBe(2);
    kioskA.close();
    kioskB.close();
  });
});

describe('the fleet database', () => {
  it('is created with the fleet schema and application id', () => {
    const f = fleet();
    expect(f.db.pragma('application_id', { simple: true })).toBe(FLEET_APPLICATION_ID);
    expect(f.db.pragma('user_version', { simple: true })).toBe(1);
    f.db.close();
    // Opening it again is not a migration.
    const again = openFleetDatabase(f.file, { create: false });
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    again.close();
  });

  it('refuses a kiosk log, a newer fleet, another program’s database and a file that is not SQLite, leaving them untouched', async () => {
    const kiosk = await tempKiosk();
    const log = dataPaths(kiosk.dataDir).database;
    kiosk.close();
    const problem = (file: string) => {
      try {
        openFleetDatabase(file, { create: true }).close();
        return 'opened';
      } catch (error) {
        return error instanceof FleetOpenError ? error.problem : String(error);
      }
    };
    expect(problem(log)).toBe('kiosk-log');
    const dir = tempDir();
    const newer = join(dir, 'newer.sqlite');
    const db = new Database(newer);
    db.pragma(`application_id = ${FLEET_APPLICATION_ID}`);
    db.pragma('user_version = 9');
    db.close();
    expect(problem(newer)).toBe('newer');
    const other = join(dir, 'other.sqlite');
    const odb = new Database(other);
    odb.exec('CREATE TABLE notes (text TEXT)');
    odb.close();
    expect(problem(other)).toBe('foreign');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some words that are long enough to be a header '.repeat(3));
    expect(problem(text)).toBe('not-sqlite');
    expect(new Database(other).prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name LIKE 'fleet_%'").get()).toEqual({ n: 0 });
  });

  it('verifyFleet finds an edited row by the kiosk and seq where its chain breaks', async () => {
    const { kiosk, first, second } = await twoBundles();
    const f = fleet();
    await f.merge(first.file, second.file);
    f.db.prepare("UPDATE fleet_event SET data = '{}' WHERE seq = 4").run();
    const verdict = verifyFleet(f.db);
    expect(verdict.ok).toBe(false);
    expect(verdict.kiosks[0]!.brokenAtSeq).toBe(4);
    kiosk.close();
  });
});

describe('kiosk logs bundle / verify / merge (CLI)', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'logs', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });

  it('bundles, verifies and merges end to end, in English and Chinese, with the exit codes of the brief', async () => {
    const kiosk = await tempKiosk();
    await addVisits(kiosk, 2);
    kiosk.close();
    const outDir = tempDir();
    const bundled = cli('bundle', '--out', outDir, '--data', kiosk.dataDir);
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toMatch(/Wrote the sync bundle .*\.kbundle \(\d+ events, seq 1–\d+\)/);
    const again = cli('bundle', '--out', outDir, '--data', kiosk.dataDir, '--lang', 'zh-CN', '--json');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 0 });
    const files = readdirSync(outDir).map((name) => join(outDir, name)).sort();
    expect(files).toHaveLength(2);

    const verified = cli('verify', files[0]!);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/The bundle is intact/);

    const tampered = await rebuildBundle(files[0]!, (dir) => editLine(dir, 'events.ndjson', 2, (row) => (row.t_ms = 4_001)));
    const bad = cli('verify', tampered, '--lang', 'zh-CN');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/events\.ndjson：SHA-256 与清单不符/);
    expect(bad.stdout).toMatch(/哈希链在序号 3 处断开/);

    const into = join(tempDir(), 'fleet.sqlite');
    const merge = cli('merge', ...files, tampered, '--into', into);
    expect(merge.status).toBe(1);
    expect(merge.stdout).toMatch(/✓ .*: \d+ new events, 0 already held/);
    expect(merge.stdout).toMatch(/✗ .*edited\.kbundle: refused; nothing was imported from it/);
    expect(merge.stdout).toMatch(/no gaps in the seq/);
    const remerge = cli('merge', files[0]!, '--into', into, '--json');
    expect(remerge.status).toBe(0);
    expect(JSON.parse(remerge.stdout).bundles[0]).toMatchObject({ status: 'already-merged', inserted: 0 });

    const fleetCheck = cli('verify', into);
    expect(fleetCheck.status).toBe(0);
    expect(fleetCheck.stdout).toMatch(/chain intact/);
    const logCheck = cli('verify', '--data', kiosk.dataDir);
    expect(logCheck.status).toBe(0);

    const intoLog = cli('merge', files[0]!, '--into', dataPaths(kiosk.dataDir).database, '--lang', 'zh-CN');
    expect(intoLog.status).toBe(1);
    expect(intoLog.stderr).toMatch(/是展台自己的访问日志/);
    expect(cli('merge', files[0]!).status).toBe(2);
    expect(cli('bundle', '--data', kiosk.dataDir).status).toBe(2);
    expect(cli('verify', 'a', 'b').status).toBe(2);
  });
});

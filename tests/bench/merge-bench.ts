import Database from 'better-sqlite3';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../../electron/core/log/bundle/write-bundle';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../../electron/core/log/event-chain';
import { mergeBundles } from '../../electron/core/log/fleet/merge-bundle';
import { openFleetDatabase } from '../../electron/core/log/fleet/open-fleet';
import { ensureKioskIdentity } from '../../electron/core/log/kiosk-identity';
import { migrate } from '../../electron/core/log/migrations';
import type { BenchRow } from './bench-row';

const EVENTS_PER_VISIT = 10;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n: number, unit: string) => `${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en')} ${unit}`;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A kiosk log of `events` events written straight into SQLite with correct chain hashes: the bundle
 * writer checks the chain, so these must be real. Ids are deterministic per kiosk so runs compare.
 */
function syntheticKiosk(file: string, kiosk: number, events: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db);
  ensureKioskIdentity(db, { now: () => Date.parse('2026-03-02T00:00:00Z'), monotonic: () => 0 });
  const insertVisit = db.prepare(
    "INSERT INTO visit VALUES (?, 'org.example.exhibit', '1.2.0', ?, ?, 480, ?, 'completed', ?)",
  );
  const insertEvent = db.prepare('INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const types = ['exhibit.open', 'activity.open', 'video.play', 'video.pause', 'quiz.answer', 'scenario.choice', 'activity.close', 'quiz.finish'];
  db.transaction(() => {
    let previous = GENESIS_HASH;
    const base = Date.parse('2026-03-02T01:00:00Z');
    for (let seq = 1; seq <= events; seq += 1) {
      const visit = Math.floor((seq - 1) / EVENTS_PER_VISIT);
      const step = (seq - 1) % EVENTS_PER_VISIT;
      const visitId = `0190${hex(kiosk, 4)}-0000-7000-8000-${hex(visit, 12)}`;
      const startMs = base + visit * 90_000;
      if (step === 0) insertVisit.run(visitId, visit % 2 ? 'en' : 'zh-CN', new Date(startMs).toISOString(), new Date(startMs + 80_000).toISOString(), 80_000);
      const type = step === 0 ? 'visit.start' : step === EVENTS_PER_VISIT - 1 ? 'visit.end' : types[(seq * 7) % types.length]!;
      const row: ChainedRow = {
        seq,
        event_id: `0190${hex(kiosk, 4)}-0001-7000-8000-${hex(seq, 12)}`,
        visit_id: visitId,
        at: new Date(startMs + step * 8_000).toISOString(),
        t_ms: step * 8_000,
        type,
        exhibit_id: 'consular-protection',
        activity_id: step > 1 ? `activity-${seq % 6}` : null,
        item_id: type === 'quiz.answer' ? `q${seq % 12}` : null,
        data: type === 'quiz.answer' ? JSON.stringify({ chosen: ['b'], correct: seq % 3 === 0, ms: 1_000 + (seq % 5_000) }) : '{}',
      };
      const hash = chainHash(previous, row);
      insertEvent.run(row.seq, row.event_id, row.visit_id, row.at, row.t_ms, row.type, row.exhibit_id, row.activity_id, row.item_id, row.data, hash);
      previous = hash;
    }
  })();
  db.close();
}

/** Baseline for bundling: the same rows read and dumped as JSON lines, no chain check, zip or signature. */
function plainDump(file: string, out: string): void {
  const db = new Database(file, { readonly: true });
  const fd = openSync(out, 'w');
  let pending: string[] = [];
  for (const row of db.prepare('SELECT * FROM event ORDER BY seq').iterate()) {
    pending.push(`${JSON.stringify(row)}\n`);
    if (pending.length === 1000) {
      writeSync(fd, pending.join(''));
      pending = [];
    }
  }
  writeSync(fd, pending.join(''));
  fsyncSync(fd);
  closeSync(fd);
  db.close();
}

/** Baseline for merging: plain INSERTs of the same rows into an empty table, one transaction per kiosk. */
function plainInsert(sources: string[], into: string): void {
  const fleet = new Database(into);
  fleet.pragma('journal_mode = WAL');
  fleet.pragma('synchronous = FULL');
  fleet.exec(`CREATE TABLE event (kiosk INTEGER, seq INTEGER, event_id TEXT, visit_id TEXT, at TEXT, t_ms INTEGER, type TEXT,
    exhibit_id TEXT, activity_id TEXT, item_id TEXT, data TEXT, hash TEXT)`);
  const insert = fleet.prepare('INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const [kiosk, file] of sources.entries()) {
    const source = new Database(file, { readonly: true });
    const rows = source.prepare('SELECT * FROM event ORDER BY seq').raw().iterate() as IterableIterator<unknown[]>;
    fleet.transaction(() => {
      for (const row of rows) insert.run(kiosk, ...row);
    })();
    source.close();
  }
  fleet.close();
}

/** `BENCH_ONLY=merge`: 20 kiosks × 50k events, bundled then merged into one fleet database. */
export async function benchMerge(rows: BenchRow[], kiosks = Number(process.env.BENCH_KIOSKS ?? 20), events = Number(process.env.BENCH_EVENTS ?? 50_000)): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-merge-'));
  try {
    const logs = Array.from({ length: kiosks }, (_, i) => join(dir, `kiosk-${i}.sqlite`));
    let start = process.hrtime.bigint();
    logs.forEach((file, i) => syntheticKiosk(file, i, events));
    const generated = ms(start);
    const total = kiosks * events;

    const outDir = join(dir, 'bundles');
    mkdirSync(outDir);
    const bundles: string[] = [];
    let bundleBytes = 0;
    start = process.hrtime.bigint();
    for (const file of logs) {
      const db = new Database(file);
      const result = await writeBundle(db, { outDir, now: Date.parse('2026-04-01T00:00:00Z'), appVersion: 'bench', range: { kind: 'since-last' } });
      bundles.push(result.file);
      bundleBytes += result.bytes;
      db.close();
    }
    const bundled = ms(start);
    start = process.hrtime.bigint();
    logs.forEach((file, i) => plainDump(file, join(dir, `dump-${i}.ndjson`)));
    const dumped = ms(start);

    const fleet = openFleetDatabase(join(dir, 'fleet.sqlite'), { create: true });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    start = process.hrtime.bigint();
    const report = await mergeBundles(fleet, bundles, { now: Date.now() });
    const mergedMs = ms(start);
    clearInterval(sampler);
    const inserted = report.bundles.reduce((sum, b) => sum + (b.status === 'merged' ? b.inserted : 0), 0);
    if (inserted !== total) throw new Error(`merge inserted ${inserted} of ${total} events: ${JSON.stringify(report.bundles.find((b) => b.status !== 'merged'))}`);
    start = process.hrtime.bigint();
    const again = await mergeBundles(fleet, bundles, { now: Date.now() });
    const remergedMs = ms(start);
    if (again.bundles.some((b) => b.status !== 'already-merged')) throw new Error('re-merge was not recognised');
    fleet.close();

    start = process.hrtime.bigint();
    plainInsert(logs, join(dir, 'plain.sqlite'));
    const plainMs = ms(start);

    const perSec = (n: number, t: number) => n / (t / 1000);
    rows.push({
      measure: `write ${kiosks} bundles × ${events.toLocaleString('en')} events (${fmt(bundleBytes / 1024 / 1024, 'MB')} zipped)`,
      ours: `${fmt(bundled / 1000, 's')} (${fmt(perSec(total, bundled), 'ev/s')})`,
      baseline: `${fmt(dumped / 1000, 's')} plain ndjson dump`,
      ratio: `${(bundled / dumped).toFixed(1)} ×`,
      target: 'informational',
    });
    rows.push({
      measure: `merge ${kiosks} bundles (verify + import), ${total.toLocaleString('en')} events`,
      ours: `${fmt(mergedMs / 1000, 's')} (${fmt(perSec(total, mergedMs), 'ev/s')})`,
      baseline: `${fmt(plainMs / 1000, 's')} plain INSERT, 1 tx/kiosk`,
      ratio: `${(mergedMs / plainMs).toFixed(1)} ×`,
      target: 'informational',
    });
    rows.push({
      measure: 'merge memory (RSS peak − before)',
      ours: fmt((peakRss - rssBefore) / 1024 / 1024, 'MB'),
      baseline: `RSS before ${fmt(rssBefore / 1024 / 1024, 'MB')}`,
      ratio: '—',
      target: 'bounded (streaming)',
    });
    rows.push({
      measure: `re-merge the same ${kiosks} bundles (already merged)`,
      ours: fmt(remergedMs / 1000, 's'),
      baseline: `generating the logs: ${fmt(generated / 1000, 's')}`,
      ratio: '—',
      target: '0 new rows',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

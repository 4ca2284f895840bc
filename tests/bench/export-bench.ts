import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportLogs } from '../../electron/core/log/export/export-logs';
import type { ExportFormat } from '../../electron/core/log/export/selection';
import { openLogDatabase } from '../../electron/core/log/open-database';
import { systemClock } from '../../electron/core/clock';
import { writeSyntheticLog } from '../helpers/synthetic-log';
import type { BenchRow } from './bench-row';

/**
 * Exports of a log of a million events: our CSV beside `sqlite3 -csv` writing the same columns from the
 * same database, and the peak memory of the export process, which must not grow with the log.
 *
 * Each export runs in a child process (this same bundle, with EXPORT_BENCH_CHILD set) so its peak RSS is
 * its own and not this process's, which holds the generator's garbage.
 */
const CHILD_ENV = 'EXPORT_BENCH_CHILD';
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface ChildResult {
  ms: number;
  maxRssKb: number;
  bytes: number;
  rows: number;
}

/** In the child: export once and report the time and the peak resident set (kB, getrusage). */
async function runChild(job: { db: string; format: ExportFormat; out: string }): Promise<void> {
  const { db } = openLogDatabase({ file: job.db, clock: systemClock });
  const start = process.hrtime.bigint();
  const result = await exportLogs(db, { format: job.format, range: { kind: 'all' }, lang: 'zh-CN', outDir: job.out, now: Date.now(), appVersion: 'bench' });
  const elapsed = ms(start);
  db.close();
  const report: ChildResult = {
    ms: elapsed,
    maxRssKb: process.resourceUsage().maxRSS,
    bytes: result.files.reduce((sum, f) => sum + f.bytes, 0),
    rows: result.files.reduce((sum, f) => sum + f.rows, 0),
  };
  process.stdout.write(JSON.stringify(report));
}

function exportInChild(dbFile: string, format: ExportFormat, out: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const job = JSON.stringify({ db: dbFile, format, out });
  const run = spawnSync(process.execPath, [self], { env: { ...process.env, BENCH_ONLY: 'export', [CHILD_ENV]: job }, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`export child (${format}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildResult;
}

/** Builds the log: synthetic visits until about `targetEvents` events, with a real hash chain. */
function buildLog(file: string, targetEvents: number): { visits: number; events: number } {
  const sample = new Database(':memory:');
  const perVisit = writeSyntheticLog(sample, { visits: 2000, seed: 11 });
  sample.close();
  const visits = Math.ceil(targetEvents / (perVisit.events / perVisit.visits));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const written = writeSyntheticLog(db, { visits, seed: 7, days: 365 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return written;
}

export async function benchExport(rows: BenchRow[], targetEvents: number): Promise<void> {
  const child = process.env[CHILD_ENV];
  if (child) {
    await runChild(JSON.parse(child) as { db: string; format: ExportFormat; out: string });
    process.exit(0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-export-'));
  try {
    const dbFile = join(dir, 'kiosk.sqlite');
    let start = process.hrtime.bigint();
    const log = buildLog(dbFile, targetEvents);
    console.log(`export bench: ${log.events.toLocaleString('en')} events in ${log.visits.toLocaleString('en')} visits written in ${secs(ms(start))} (${mb(statSync(dbFile).size)} database)`);

    // Baseline: the sqlite3 shell writing the events CSV (same columns, local time computed by SQLite)
    // straight to a file. Run twice and the faster kept, so the page cache is warm for both sides.
    const baselineSql = `SELECT e.seq, e.event_id, e.visit_id, e.at, datetime(e.at, v.utc_offset_min || ' minutes'), e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data
      FROM event e JOIN visit v ON v.visit_id = e.visit_id ORDER BY e.seq`;
    let baselineMs = Infinity;
    for (let i = 0; i < 2; i += 1) {
      const outFd = openSync(join(dir, 'baseline.csv'), 'w');
      start = process.hrtime.bigint();
      const run = spawnSync('sqlite3', ['-csv', '-readonly', dbFile, baselineSql], { stdio: ['ignore', outFd, 'pipe'] });
      baselineMs = Math.min(baselineMs, ms(start));
      closeSync(outFd);
      if (run.error || run.status !== 0) throw new Error(`sqlite3 -csv failed (is the sqlite3 shell installed?): ${run.error?.message ?? String(run.stderr)}`);
    }
    const baselineBytes = statSync(join(dir, 'baseline.csv')).size;

    const results = new Map<ExportFormat, ChildResult>();
    for (const format of ['csv', 'xlsx', 'xapi'] as const) {
      const out = join(dir, `out-${format}`);
      mkdirSync(out);
      results.set(format, exportInChild(dbFile, format, out));
      rmSync(out, { recursive: true, force: true });
    }
    const csv = results.get('csv')!;
    rows.push({
      measure: `CSV export, ${log.events.toLocaleString('en')} events (+ visits file)`,
      ours: `${secs(csv.ms)}, ${mb(csv.bytes)}`,
      baseline: `${secs(baselineMs)} sqlite3 -csv, ${mb(baselineBytes)}`,
      ratio: `${(csv.ms / baselineMs).toFixed(2)} ×`,
      target: '≤ 1.5 ×',
    });
    for (const format of ['csv', 'xlsx', 'xapi'] as const) {
      const r = results.get(format)!;
      rows.push({
        measure: `${format} export: peak RSS of the exporting process`,
        ours: mb(r.maxRssKb * 1024),
        baseline: '—',
        ratio: '—',
        target: '≤ 300 MB',
      });
    }
    for (const format of ['xlsx', 'xapi'] as const) {
      const r = results.get(format)!;
      rows.push({ measure: `${format} export, same events`, ours: `${secs(r.ms)}, ${mb(r.bytes)}`, baseline: `${secs(baselineMs)} sqlite3 -csv`, ratio: `${(r.ms / baselineMs).toFixed(1)} ×`, target: 'informational' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

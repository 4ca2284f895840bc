import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHttpKioskApi } from '../../electron/common/http-transport';
import type { ClientEvent } from '../../electron/common/events';
import { migrate } from '../../electron/core/log/migrations';
import { openKiosk } from '../../electron/core/open-kiosk';
import { newToken, startKioskHost } from '../../electron/host/kiosk-host';
import { appFiles } from '../../electron/cli/app-files';
import type { BenchRow } from './bench-row';
import { benchExport } from './export-bench';
import { benchMerge } from './merge-bench';
import { benchPackInstall } from './pack-install';
import { benchRenderer } from './renderer';
import { benchReport } from './report-bench';

/**
 * `npm run bench`: each figure beside a baseline measured in the same run on the same machine, so the
 * ratio means something even though absolute times vary between machines.
 */
const rows: BenchRow[] = [];
const fmt = (n: number, unit: string) => `${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en')} ${unit}`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const event = (i: number): ClientEvent => ({ type: 'quiz.answer', tMs: i, activityId: 'safety-quiz', itemId: `q${i % 40}`, data: { chosen: ['a'], correct: i % 3 === 0, ms: 1800 } });

async function freshKiosk() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const kiosk = await openKiosk({ dataDir, bundledPackDir: appFiles.bundledPackDir, appVersion: 'bench' });
  return { kiosk, dataDir, done: () => (kiosk.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

async function loggingThroughput(): Promise<void> {
  const total = 20_000;
  const batch = 50;
  const { kiosk, done } = await freshKiosk();
  const visit = await kiosk.service.startVisit({ locale: 'zh-CN' });
  let start = process.hrtime.bigint();
  for (let i = 0; i < total; i += batch) {
    await kiosk.service.logEvents({ visitId: visit.visitId, events: Array.from({ length: batch }, (_, j) => event(i + j)) });
  }
  const oursPerSec = total / (ms(start) / 1000);
  done();

  // Baseline: plain better-sqlite3 inserts of the same rows into the same schema, same pragmas, same
  // batching; no validation, no ids of ours, no hash chain.
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(db);
  db.prepare("INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min) VALUES ('v', 'p', '1', 'en', 't', 0)").run();
  const insert = db.prepare('INSERT INTO event (event_id, visit_id, at, t_ms, type, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  start = process.hrtime.bigint();
  for (let i = 0; i < total; i += batch) {
    db.transaction(() => {
      for (let j = 0; j < batch; j += 1) {
        const e = event(i + j);
        insert.run(crypto.randomUUID(), 'v', new Date().toISOString(), e.tMs, e.type, e.activityId, e.itemId, JSON.stringify(e.data), 'h');
      }
    })();
  }
  const rawPerSec = total / (ms(start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  rows.push({ measure: `log events, batches of ${batch}`, ours: fmt(oursPerSec, 'ev/s'), baseline: `${fmt(rawPerSec, 'ev/s')} raw inserts`, ratio: `${((oursPerSec / rawPerSec) * 100).toFixed(0)} %`, target: '≥ 50 %' });
}

async function singleCommitLatency(): Promise<void> {
  const { kiosk, done } = await freshKiosk();
  const visit = await kiosk.service.startVisit({ locale: 'en' });
  const times: number[] = [];
  for (let i = 0; i < 500; i += 1) {
    const start = process.hrtime.bigint();
    await kiosk.service.logEvents({ visitId: visit.visitId, events: [event(i)] });
    times.push(ms(start));
  }
  done();
  rows.push({ measure: 'one durable commit (1 event)', ours: `p50 ${fmt(percentile(times, 50), 'ms')}, p99 ${fmt(percentile(times, 99), 'ms')}`, baseline: '—', ratio: '—', target: 'p99 ≤ 5 ms' });
}

async function transportOverhead(): Promise<void> {
  const { kiosk, done } = await freshKiosk();
  const token = newToken();
  const host = await startKioskHost({ service: kiosk.service, token, rendererDir: null, packDir: () => null, port: 0 });
  const http = createHttpKioskApi({ baseUrl: `http://127.0.0.1:${host.port}`, token });
  const measure = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const start = process.hrtime.bigint();
      await fn();
      times.push(ms(start));
    }
    return percentile(times, 50);
  };
  const direct = await measure(() => kiosk.service.getStatus());
  const overHttp = await measure(() => http.getStatus());
  await host.close();
  done();
  rows.push({ measure: 'getStatus over the loopback host', ours: fmt(overHttp, 'ms p50'), baseline: `${fmt(direct, 'ms')} direct call`, ratio: `${(overHttp / direct).toFixed(1)} ×`, target: 'informational' });
}

function rendererSize(): void {
  const assets = join(appFiles.rendererDir, 'assets');
  let gz = 0;
  let fonts = 0;
  for (const name of readdirSync(assets)) {
    const bytes = readFileSync(join(assets, name));
    if (/\.(js|css)$/.test(name)) gz += gzipSync(bytes, { level: 9 }).length;
    else if (/\.woff2?$/.test(name)) fonts += bytes.length;
  }
  rows.push({ measure: 'renderer JS+CSS, gzipped', ours: fmt(gz / 1024, 'KB'), baseline: `fonts ${fmt(fonts / 1024 / 1024, 'MB')} (loaded by unicode-range)`, ratio: `${((gz / (150 * 1024)) * 100).toFixed(0)} % of budget`, target: '≤ 150 KB' });
}

// BENCH_ONLY=renderer (or log, pack, merge, export, report) runs one group while working on it; `npm run bench` runs them all.
const only = process.env.BENCH_ONLY;
if (!only || only === 'log') {
  await loggingThroughput();
  await singleCommitLatency();
  await transportOverhead();
}
if (!only || only === 'renderer') {
  rendererSize();
  await benchRenderer(rows, join(appFiles.rendererDir, '..', '..'));
}
if (!only || only === 'pack') await benchPackInstall(rows, Number(process.env.BENCH_PACK_MB ?? 1024));
if (!only || only === 'merge') await benchMerge(rows);
if (!only || only === 'export') await benchExport(rows, Number(process.env.BENCH_EXPORT_EVENTS ?? 1_000_000));
if (!only || only === 'report') await benchReport(rows, Number(process.env.BENCH_REPORT_EVENTS ?? 1_000_000));
console.table(rows);

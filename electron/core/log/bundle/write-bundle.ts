import type { Database } from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoUtc } from '../../clock';
import { sha256File } from '../../packs/pack-files';
import { LOG_ZIP_LEVEL, writeKpack } from '../../packs/zip/write-kpack';
import { chainHash, GENESIS_HASH } from '../event-chain';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleFileName,
  MANIFEST_FILE,
  signManifest,
  type AuditLine,
  type BundleFileName,
  type EventLine,
  type UnsignedManifest,
  type VisitLine,
} from './bundle-format';
import { createNdjsonFile, type NdjsonWriter, type WrittenNdjson } from './ndjson-file';
import { fsyncDirectory } from '../export/buffered-file';
import { sinceLastWatermark } from '../export/selection';

/** The ranges a bundle can take; the export dispatcher passes its own range type, dates included. */
export type BundleRange = { kind: 'since-last' } | { kind: 'all' } | { kind: 'dates'; from: string; to: string };

export interface WriteBundleOptions {
  outDir: string;
  /** Wall time of the bundle, recorded in its manifest and in `export`. */
  now: number;
  appVersion: string;
  range: BundleRange;
  onProgress?: (done: number, total: number) => void;
  /** How the zip is written; tests inject a writer that fails half way, as a power cut would. */
  zip?: typeof writeKpack;
}

export interface WriteBundleResult {
  file: string;
  /** Events in the bundle. */
  rows: number;
  bytes: number;
  sha256: string;
  /** An empty bundle has toSeq = fromSeq - 1. */
  fromSeq: number;
  toSeq: number;
}

export class BundleRangeError extends Error {
  constructor() {
    super(
      '同步包不能按日期导出：它总是从上次的同步包接着往下（或用 --all 全部重发），好让哈希链连续。' +
        ' / A sync bundle cannot be limited to dates: it always continues from the last bundle (or re-sends everything with --all), so the hash chain stays unbroken.',
    );
    this.name = 'BundleRangeError';
  }
}

interface KioskRow {
  kiosk_id: string;
  label: string;
  location: string;
  public_key: string;
  private_key: string;
}

/** A name no earlier bundle has: an empty bundle repeats its range, and a bundle is never overwritten. */
function freshName(outDir: string, kioskId: string, fromSeq: number, toSeq: number): string {
  for (let attempt = 1; ; attempt += 1) {
    const path = join(outDir, bundleFileName(kioskId, fromSeq, toSeq, attempt));
    if (!existsSync(path) && !existsSync(`${path}.tmp`)) return path;
  }
}

interface Staged {
  files: Record<BundleFileName, WrittenNdjson>;
  manifest: UnsignedManifest;
  privateKey: string;
  auditTo: number;
}

/**
 * Reads the range and writes the three ndjson files into `dir`, inside one read transaction so the
 * visits, events and audit rows are one consistent snapshot even while the kiosk keeps logging. Runs
 * synchronously: the connection may be shared with the visit log, which cannot write while a statement
 * iterator is open across an await.
 */
function stage(db: Database, dir: string, options: WriteBundleOptions & { range: { kind: 'since-last' | 'all' } }): Staged {
  return db.transaction((): Staged => {
    const kiosk = db.prepare('SELECT kiosk_id, label, location, public_key, private_key FROM kiosk').get() as KioskRow | undefined;
    if (!kiosk) throw new Error('This visit log has no kiosk identity yet: start the kiosk once before writing a sync bundle.');
    const all = options.range.kind === 'all';
    const afterSeq = all ? 0 : sinceLastWatermark(db, 'bundle');
    const afterAudit = all ? 0 : sinceLastWatermark(db, 'bundle', ['audit']);
    // Capped when the bundle starts, so rows logged meanwhile wait for the next bundle.
    const headSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM event').get() as { seq: number }).seq;
    const headAudit = (db.prepare('SELECT COALESCE(MAX(audit_id), 0) AS id FROM audit').get() as { id: number }).id;
    const fromSeq = afterSeq + 1;
    const toSeq = Math.max(afterSeq, headSeq);
    const prevHash =
      (db.prepare('SELECT hash FROM event WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(afterSeq) as { hash: string } | undefined)?.hash ??
      GENESIS_HASH;
    const eventCount = (db.prepare('SELECT COUNT(*) AS n FROM event WHERE seq BETWEEN ? AND ?').get(fromSeq, toSeq) as { n: number }).n;
    const touched = 'SELECT DISTINCT visit_id FROM event WHERE seq BETWEEN @from AND @to';
    const visitCount = (db.prepare(`SELECT COUNT(*) AS n FROM visit WHERE visit_id IN (${touched})`).get({ from: fromSeq, to: toSeq }) as { n: number }).n;
    const auditCount = (db.prepare('SELECT COUNT(*) AS n FROM audit WHERE audit_id > ? AND audit_id <= ?').get(afterAudit, headAudit) as { n: number }).n;
    const total = eventCount + visitCount + auditCount;
    let done = 0;
    const copy = <T>(name: BundleFileName, rows: IterableIterator<T>, each?: (row: T) => void): WrittenNdjson => {
      const out: NdjsonWriter = createNdjsonFile(join(dir, name));
      try {
        for (const row of rows) {
          each?.(row);
          out.line(row);
          done += 1;
          if (done % 1000 === 0) options.onProgress?.(done, total);
        }
        return out.finish();
      } catch (error) {
        out.abort();
        throw error;
      }
    };

    const packVersions = new Map<string, { id: string; version: string }>();
    const visits = copy(
      'visits.ndjson',
      db.prepare(`SELECT * FROM visit WHERE visit_id IN (${touched}) ORDER BY started_at, visit_id`).iterate({ from: fromSeq, to: toSeq }) as IterableIterator<VisitLine>,
      (v) => packVersions.set(`${v.pack_id}\n${v.pack_version}`, { id: v.pack_id, version: v.pack_version }),
    );
    // The chain is checked as it is copied: a log edited behind the kiosk's back is caught here, by the
    // people who can still look at the kiosk, rather than months later by whoever merges the bundle.
    let head = prevHash;
    const events = copy(
      'events.ndjson',
      db
        .prepare('SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash FROM event WHERE seq BETWEEN ? AND ? ORDER BY seq')
        .iterate(fromSeq, toSeq) as IterableIterator<EventLine>,
      (e) => {
        if (chainHash(head, e) !== e.hash) {
          throw new Error(`The visit log's hash chain is broken at seq ${e.seq}; run "kiosk logs verify" — no bundle was written.`);
        }
        head = e.hash;
      },
    );
    const audit = copy(
      'audit.ndjson',
      db.prepare('SELECT audit_id, at, actor, action, ok, detail FROM audit WHERE audit_id > ? AND audit_id <= ? ORDER BY audit_id').iterate(afterAudit, headAudit) as IterableIterator<AuditLine>,
    );
    options.onProgress?.(total, total);

    const files = { 'visits.ndjson': visits, 'events.ndjson': events, 'audit.ndjson': audit };
    const manifest: UnsignedManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      kiosk: { id: kiosk.kiosk_id, label: kiosk.label, location: kiosk.location, publicKey: kiosk.public_key },
      seq: { from: fromSeq, to: toSeq, prevHash, headHash: head },
      audit: { from: afterAudit + 1, to: Math.max(afterAudit, headAudit) },
      counts: { events: events.lines, visits: visits.lines, audit: audit.lines },
      range: options.range.kind,
      appVersion: options.appVersion,
      packVersions: [...packVersions.values()].sort((a, b) => (a.id + a.version < b.id + b.version ? -1 : 1)),
      files: {
        'visits.ndjson': { sha256: visits.sha256, bytes: visits.bytes },
        'events.ndjson': { sha256: events.sha256, bytes: events.bytes },
        'audit.ndjson': { sha256: audit.sha256, bytes: audit.bytes },
      },
      createdAt: isoUtc(options.now),
    };
    return { files, manifest, privateKey: kiosk.private_key, auditTo: Math.max(afterAudit, headAudit) };
  })();
}

/**
 * Writes the signed, incremental sync bundle of visit-log.md and records it in `export`. The record —
 * which is the since-last watermark — is written only after the zip is complete, fsynced and renamed into
 * place, so a crash or a full disk mid-bundle never skips events: the next bundle simply carries them.
 * Re-sending is always harmless, because merging is idempotent by event_id.
 *
 * With nothing new it still writes an (empty) bundle: a signed "nothing happened since seq N" is worth
 * handing to an official, it carries any new audit rows and the kiosk's current label and location, and
 * the admin screen always gets a file to show.
 */
export async function writeBundle(db: Database, options: WriteBundleOptions): Promise<WriteBundleResult> {
  const { range } = options;
  if (range.kind === 'dates') throw new BundleRangeError();
  mkdirSync(options.outDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'kiosk-bundle-'));
  try {
    const staged = stage(db, staging, { ...options, range });
    const { manifest } = staged;
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(signManifest(manifest, staged.privateKey), null, 2)}\n`);
    const file = freshName(options.outDir, manifest.kiosk.id, manifest.seq.from, manifest.seq.to);
    // writeKpack fsyncs its .tmp before renaming it into place; the folder is synced so the name sticks.
    await (options.zip ?? writeKpack)(staging, [MANIFEST_FILE, 'visits.ndjson', 'events.ndjson', 'audit.ndjson'], file, undefined, { level: LOG_ZIP_LEVEL });
    fsyncDirectory(options.outDir);
    const bytes = statSync(file).size;
    const sha256 = await sha256File(file);

    const record = db.prepare(
      `INSERT INTO export (format, target, range, from_seq, to_seq, rows, file, sha256, created_at) VALUES ('bundle', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      record.run('events', range.kind, manifest.seq.from, manifest.seq.to, manifest.counts.events, file, sha256, manifest.createdAt);
      record.run('audit', range.kind, manifest.audit.from, staged.auditTo, manifest.counts.audit, file, sha256, manifest.createdAt);
    })();
    return { file, rows: manifest.counts.events, bytes, sha256, fromSeq: manifest.seq.from, toSeq: manifest.seq.to };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

import type { Database } from 'better-sqlite3';
import { isoUtc, utcOffsetMinutes } from '../../clock';
import { localTime } from './local-time';

export type ExportFormat = 'csv' | 'xlsx' | 'xapi' | 'bundle';
export type ExportLang = 'zh-CN' | 'en';
export type ExportRange = { kind: 'all' } | { kind: 'dates'; from: string; to: string } | { kind: 'since-last' };

// Dates are the kiosk's local calendar days, from the offset stored with each visit, not this machine's.
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real YYYY-MM-DD day: SQLite compares dates as text, so anything else would silently match nothing. */
export function isCalendarDate(text: string): boolean {
  if (!CALENDAR_DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && isoUtc(ms).startsWith(text);
}

export function assertExportRange(range: ExportRange): void {
  if (range.kind === 'dates' && !(isCalendarDate(range.from) && isCalendarDate(range.to) && range.from <= range.to)) {
    throw new Error(`The date range must be two YYYY-MM-DD dates, the first not after the second (got ${range.from} to ${range.to})`);
  }
}

/** SQL for the local calendar date of an event (`event e JOIN visit v`) and of a visit's start. */
export const EVENT_LOCAL_DATE = "date(e.at, v.utc_offset_min || ' minutes')";
export const VISIT_LOCAL_DATE = "date(started_at, utc_offset_min || ' minutes')";

/**
 * The `export` targets whose from_seq..to_seq are event seqs. A bundle also records its 'audit' target,
 * whose range counts audit rows instead, so it must not count here.
 */
export const EVENT_TARGETS = ['events', 'visits', 'workbook', 'statements'] as const;

/**
 * The newest seq a complete 'all' or 'since-last' export of this format covered. Each format keeps its
 * own watermark: handing the CSV to one office must not make the bundle for another skip those events.
 * A look at some dates is not a hand-over, so 'dates' exports never move it. A bundle's audit rows have
 * their own watermark: `targets` ['audit'].
 */
export function sinceLastWatermark(db: Database, format: ExportFormat, targets: readonly string[] = EVENT_TARGETS): number {
  const row = db
    .prepare(
      `SELECT COALESCE(MAX(to_seq), 0) AS seq FROM export WHERE format = ? AND target IN (${targets.map(() => '?').join(', ')}) AND range IN ('all', 'since-last')`,
    )
    .get(format, ...targets) as { seq: number };
  return row.seq;
}

export interface SqlFilter {
  where: string;
  params: Record<string, string | number>;
}

export interface ExportSelection {
  range: ExportRange;
  /** A WHERE clause on `event e JOIN visit v ON v.visit_id = e.visit_id` (for 'all' and 'since-last' it uses `e` only). */
  events: SqlFilter;
  /** A WHERE clause on `visit` (no alias). */
  visits: SqlFilter;
  /** The seq range exported; an empty export has toSeq = fromSeq - 1. */
  fromSeq: number;
  toSeq: number;
  eventRows: number;
  visitRows: number;
  /** Local dates of the first and last event (by seq), null when there are none. */
  firstDate: string | null;
  lastDate: string | null;
}

/**
 * What an export of `range` covers. Everything is capped at the newest seq when the export starts, so
 * events logged meanwhile wait for the next export instead of landing in only some of its files.
 */
export function selectForExport(db: Database, format: ExportFormat, range: ExportRange): ExportSelection {
  assertExportRange(range);
  const head = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM event').get() as { seq: number }).seq;
  let events: SqlFilter;
  let afterSeq = 0;
  switch (range.kind) {
    case 'all':
      events = { where: 'e.seq <= @head', params: { head } };
      break;
    case 'dates':
      events = { where: `e.seq <= @head AND ${EVENT_LOCAL_DATE} BETWEEN @from AND @to`, params: { head, from: range.from, to: range.to } };
      break;
    case 'since-last':
      afterSeq = sinceLastWatermark(db, format);
      events = { where: 'e.seq > @after AND e.seq <= @head', params: { head, after: afterSeq } };
      break;
  }
  // Seq-range selections never look at the visit, so their visits are found by probing the
  // (visit_id, seq) index once per visit rather than by listing a million events' visit ids.
  const visits: SqlFilter =
    range.kind === 'dates'
      ? { where: `${VISIT_LOCAL_DATE} BETWEEN @from AND @to`, params: { from: range.from, to: range.to } }
      : { where: `EXISTS (SELECT 1 FROM event e WHERE e.visit_id = visit.visit_id AND ${events.where})`, params: events.params };
  const from = range.kind === 'dates' ? 'event e JOIN visit v ON v.visit_id = e.visit_id' : 'event e';
  const span = db.prepare(`SELECT COUNT(*) AS rows, MIN(e.seq) AS fromSeq, MAX(e.seq) AS toSeq FROM ${from} WHERE ${events.where}`).get(events.params) as {
    rows: number;
    fromSeq: number | null;
    toSeq: number | null;
  };
  // The file names show the local dates of the first and last event exported.
  const localDateOf = db.prepare(`SELECT ${EVENT_LOCAL_DATE} AS day FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE e.seq = ?`).pluck();
  const firstDate = span.fromSeq === null ? null : (localDateOf.get(span.fromSeq) as string | null);
  const lastDate = span.toSeq === null ? null : (localDateOf.get(span.toSeq) as string | null);
  const visitRows = (db.prepare(`SELECT COUNT(*) AS n FROM visit WHERE ${visits.where}`).get(visits.params) as { n: number }).n;
  return {
    range,
    events,
    visits,
    fromSeq: span.fromSeq ?? afterSeq + 1,
    toSeq: span.toSeq ?? afterSeq,
    eventRows: span.rows,
    visitRows,
    firstDate,
    lastDate,
  };
}

/** The seq and date parts of an export's file names, e.g. "seq1-8" and "2026-11-30_2026-12-01". */
export function exportNameParts(selection: ExportSelection, now: number): { seq: string; dates: string } {
  const { range } = selection;
  const today = localTime(isoUtc(now), utcOffsetMinutes(now)).slice(0, 10);
  const dates = range.kind === 'dates' ? `${range.from}_${range.to}` : `${selection.firstDate ?? today}_${selection.lastDate ?? today}`;
  const seq = selection.eventRows > 0 ? `seq${selection.fromSeq}-${selection.toSeq}` : 'seq-none';
  return { seq, dates };
}

export interface ExportedFile {
  /** What the file holds, e.g. 'visits', 'events', 'workbook', 'statements'. */
  target: string;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Records an export's files in one transaction. Call it only once every file is complete and fsynced:
 * the record is what moves the since-last watermark, so a crash before it just means exporting again.
 */
export function recordExport(db: Database, format: ExportFormat, selection: ExportSelection, files: readonly ExportedFile[], now: number): void {
  const insert = db.prepare(
    'INSERT INTO export (format, target, range, from_seq, to_seq, rows, file, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const createdAt = isoUtc(now);
  db.transaction(() => {
    for (const file of files) {
      insert.run(format, file.target, selection.range.kind, selection.fromSeq, selection.toSeq, file.rows, file.path, file.sha256, createdAt);
    }
  })();
}

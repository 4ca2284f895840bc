import type { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isoUtc, utcOffsetMinutes } from '../../clock';
import type { ChainedRow } from '../event-chain';
import { createCsvFile, type CsvFileWriter, type CsvValue, type WrittenCsv } from './csv-writer';

export type ExportLang = 'zh-CN' | 'en';
export type ExportRange = { kind: 'all' } | { kind: 'dates'; from: string; to: string } | { kind: 'since-last' };

export interface ExportCsvOptions {
  outDir: string;
  lang: ExportLang;
  range: ExportRange;
  /** Wall time of the export, recorded with it. */
  now: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportCsvResult {
  /** The visits file first, then the events file. */
  files: WrittenCsv[];
  /** The seq range exported; an empty export has toSeq = fromSeq - 1. */
  fromSeq: number;
  toSeq: number;
}

const HEADERS = {
  'zh-CN': {
    visits: ['参观编号', '内容包', '版本', '语言', '开始时间 (UTC)', '开始时间（当地时间，含 UTC 偏移）', '结束时间 (UTC)', '结束原因', '时长（秒）'],
    events: ['序号', '事件编号', '参观编号', '时间 (UTC)', '时间（当地时间，含 UTC 偏移）', '参观开始后毫秒', '类型', '展项', '活动', '条目', '数据'],
  },
  en: {
    visits: ['Visit id', 'Pack', 'Pack version', 'Language', 'Started (UTC)', 'Started (local time, UTC offset shown)', 'Ended (UTC)', 'End reason', 'Duration (s)'],
    events: ['Seq', 'Event id', 'Visit id', 'Time (UTC)', 'Local time (UTC offset shown)', 'ms since visit start', 'Type', 'Exhibit', 'Activity', 'Item', 'Data'],
  },
} satisfies Record<ExportLang, { visits: string[]; events: string[] }>;

interface VisitRow {
  visit_id: string;
  pack_id: string;
  pack_version: string;
  locale: string;
  started_at: string;
  utc_offset_min: number;
  ended_at: string | null;
  end_reason: string | null;
  duration_ms: number | null;
}

/** An event as the chain hashes it, with its visit's UTC offset for local times. */
type EventRow = ChainedRow & { utc_offset_min: number };

/** The calendar date and clock time where the kiosk stood, e.g. "2026-11-30 16:00:00 +08:00". */
export function localTime(utcIso: string, offsetMin: number): string {
  const shifted = new Date(Date.parse(utcIso) + offsetMin * 60_000).toISOString();
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} ${offset}`;
}

// Dates are the kiosk's local calendar days, from the offset stored with each visit, not this machine's.
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real YYYY-MM-DD day: SQLite compares dates as text, so anything else would silently match nothing. */
export function isCalendarDate(text: string): boolean {
  if (!CALENDAR_DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && isoUtc(ms).startsWith(text);
}

const EVENT_LOCAL_DATE = "date(e.at, v.utc_offset_min || ' minutes')";
const VISIT_LOCAL_DATE = "date(started_at, utc_offset_min || ' minutes')";

function watermark(db: Database): number {
  const row = db.prepare("SELECT COALESCE(MAX(to_seq), 0) AS seq FROM export WHERE format = 'csv' AND target = 'events' AND range IN ('all', 'since-last')").get() as { seq: number };
  return row.seq;
}

/**
 * The events to export as a WHERE clause on `event e JOIN visit v`. Everything is capped at the newest
 * seq when the export starts, so events logged meanwhile wait for the next export instead of landing in
 * only one of the two files.
 */
function eventSelection(db: Database, range: ExportRange): { where: string; params: Record<string, string | number>; afterSeq: number } {
  const headSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM event').get() as { seq: number }).seq;
  switch (range.kind) {
    case 'all':
      return { where: 'e.seq <= @head', params: { head: headSeq }, afterSeq: 0 };
    case 'dates':
      return { where: `e.seq <= @head AND ${EVENT_LOCAL_DATE} BETWEEN @from AND @to`, params: { head: headSeq, from: range.from, to: range.to }, afterSeq: 0 };
    case 'since-last': {
      const after = watermark(db);
      return { where: 'e.seq > @after AND e.seq <= @head', params: { head: headSeq, after }, afterSeq: after };
    }
  }
}

function visitSelection(range: ExportRange, events: { where: string; params: Record<string, string | number> }) {
  if (range.kind === 'dates') return { where: `${VISIT_LOCAL_DATE} BETWEEN @from AND @to`, params: { from: range.from, to: range.to } };
  return { where: `visit_id IN (SELECT e.visit_id FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${events.where})`, params: events.params };
}

function fileNames(range: ExportRange, span: { fromSeq: number; toSeq: number; rows: number; firstDate: string | null; lastDate: string | null }, now: number) {
  const today = localTime(isoUtc(now), utcOffsetMinutes(now)).slice(0, 10);
  const dates = range.kind === 'dates' ? `${range.from}_${range.to}` : `${span.firstDate ?? today}_${span.lastDate ?? today}`;
  const seq = span.rows > 0 ? `seq${span.fromSeq}-${span.toSeq}` : 'seq-none';
  // A since-last visits file depends on its seq range, so two exports on one day must not share a name.
  const visitsPrefix = range.kind === 'since-last' ? `visits_${seq}` : 'visits';
  return { visits: `${visitsPrefix}_${dates}.csv`, events: `events_${seq}_${dates}.csv` };
}

function visitCells(v: VisitRow): CsvValue[] {
  return [
    v.visit_id,
    v.pack_id,
    v.pack_version,
    v.locale,
    v.started_at,
    localTime(v.started_at, v.utc_offset_min),
    v.ended_at,
    v.end_reason,
    v.duration_ms === null ? null : v.duration_ms / 1000,
  ];
}

function eventCells(e: EventRow): CsvValue[] {
  return [e.seq, e.event_id, e.visit_id, e.at, localTime(e.at, e.utc_offset_min), e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data];
}

/**
 * Writes the visits and the events of a range as two CSV files, then records them in `export`. The
 * record is written only after both files are complete and fsynced, so a crash mid-export never moves
 * the since-last watermark and exporting again is always safe.
 *
 * The rows are read and written synchronously on purpose: the connection is shared with the visit log,
 * which cannot write while a statement iterator is open across an await.
 */
export async function exportCsv(db: Database, options: ExportCsvOptions): Promise<ExportCsvResult> {
  const { range, lang } = options;
  if (range.kind === 'dates' && !(isCalendarDate(range.from) && isCalendarDate(range.to) && range.from <= range.to)) {
    throw new Error(`The date range must be two YYYY-MM-DD dates, the first not after the second (got ${range.from} to ${range.to})`);
  }
  const events = eventSelection(db, range);
  const visits = visitSelection(range, events);
  const span = db
    .prepare(
      `SELECT COUNT(*) AS rows, MIN(e.seq) AS fromSeq, MAX(e.seq) AS toSeq, MIN(${EVENT_LOCAL_DATE}) AS firstDate, MAX(${EVENT_LOCAL_DATE}) AS lastDate
       FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${events.where}`,
    )
    .get(events.params) as { rows: number; fromSeq: number | null; toSeq: number | null; firstDate: string | null; lastDate: string | null };
  const fromSeq = span.fromSeq ?? events.afterSeq + 1;
  const toSeq = span.toSeq ?? events.afterSeq;
  const visitCount = (db.prepare(`SELECT COUNT(*) AS n FROM visit WHERE ${visits.where}`).get(visits.params) as { n: number }).n;
  const total = visitCount + span.rows;
  const names = fileNames(range, { ...span, fromSeq, toSeq }, options.now);

  mkdirSync(options.outDir, { recursive: true });
  let done = 0;
  const progressEvery = 1000;
  const copy = <T>(rows: IterableIterator<T>, file: CsvFileWriter, cells: (row: T) => CsvValue[]): WrittenCsv => {
    try {
      for (const row of rows) {
        file.row(cells(row));
        done += 1;
        if (done % progressEvery === 0) options.onProgress?.(done, total);
      }
      return file.finish();
    } catch (error) {
      file.abort();
      throw error;
    }
  };

  const visitsFile = copy(
    db.prepare(`SELECT * FROM visit WHERE ${visits.where} ORDER BY started_at, visit_id`).iterate(visits.params) as IterableIterator<VisitRow>,
    createCsvFile(join(options.outDir, names.visits), HEADERS[lang].visits),
    visitCells,
  );
  const eventsFile = copy(
    db
      .prepare(
        `SELECT e.seq, e.event_id, e.visit_id, e.at, v.utc_offset_min, e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data
         FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${events.where} ORDER BY e.seq`,
      )
      .iterate(events.params) as IterableIterator<EventRow>,
    createCsvFile(join(options.outDir, names.events), HEADERS[lang].events),
    eventCells,
  );
  options.onProgress?.(total, total);

  const record = db.prepare(
    `INSERT INTO export (format, target, range, from_seq, to_seq, rows, file, sha256, created_at) VALUES ('csv', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const createdAt = isoUtc(options.now);
  db.transaction(() => {
    record.run('visits', options.range.kind, fromSeq, toSeq, visitsFile.rows, visitsFile.path, visitsFile.sha256, createdAt);
    record.run('events', options.range.kind, fromSeq, toSeq, eventsFile.rows, eventsFile.path, eventsFile.sha256, createdAt);
  })();
  return { files: [visitsFile, eventsFile], fromSeq, toSeq };
}

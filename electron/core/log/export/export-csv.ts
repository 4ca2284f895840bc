import type { Database } from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBufferedFile, type WriteChunk } from './buffered-file';
import { CSV_BOM, csvRow, type WrittenCsv } from './csv-writer';
import { rowProgress, type ExportContext } from './export-context';
import { offsetText } from './local-time';
import { exportNameParts, type ExportedFile, type ExportLang, type ExportSelection } from './selection';

export const CSV_HEADERS = {
  'zh-CN': {
    visits: ['参观编号', '内容包', '版本', '语言', '开始时间 (UTC)', '开始时间（当地时间，含 UTC 偏移）', '结束时间 (UTC)', '结束原因', '时长（秒）'],
    events: ['序号', '事件编号', '参观编号', '时间 (UTC)', '时间（当地时间，含 UTC 偏移）', '参观开始后毫秒', '类型', '展项', '活动', '条目', '数据'],
  },
  en: {
    visits: ['Visit id', 'Pack', 'Pack version', 'Language', 'Started (UTC)', 'Started (local time, UTC offset shown)', 'Ended (UTC)', 'End reason', 'Duration (s)'],
    events: ['Seq', 'Event id', 'Visit id', 'Time (UTC)', 'Local time (UTC offset shown)', 'ms since visit start', 'Type', 'Exhibit', 'Activity', 'Item', 'Data'],
  },
} satisfies Record<ExportLang, { visits: string[]; events: string[] }>;

/** A visit as exported: `SELECT ... FROM visit` in this column order, read as arrays (`raw`). */
export const VISIT_COLUMNS = 'visit_id, pack_id, pack_version, locale, started_at, utc_offset_min, ended_at, end_reason, duration_ms';
export type VisitTuple = [string, string, string, string, string, number, string | null, string | null, number | null];

/** An event as exported, with its visit's UTC offset for local times (`event e JOIN visit v`). */
export const EVENT_COLUMNS = 'e.seq, e.event_id, e.visit_id, e.at, v.utc_offset_min, e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data';
export type EventTuple = [number, string, string, string, number, number, string, string | null, string | null, string | null, string];

// Rows are read as arrays, not objects: a million property bags are most of the cost of a big export.
export function iterateVisits(db: Database, selection: ExportSelection): IterableIterator<VisitTuple> {
  return db
    .prepare(`SELECT ${VISIT_COLUMNS} FROM visit WHERE ${selection.visits.where} ORDER BY started_at, visit_id`)
    .raw(true)
    .iterate(selection.visits.params) as IterableIterator<VisitTuple>;
}

export function iterateEvents(db: Database, selection: ExportSelection): IterableIterator<EventTuple> {
  return db
    .prepare(`SELECT ${EVENT_COLUMNS} FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${selection.events.where} ORDER BY e.seq`)
    .raw(true)
    .iterate(selection.events.params) as IterableIterator<EventTuple>;
}

/*
 * The events file is formatted by SQLite, a few thousand rows per query, and reaches us as ready UTF-8
 * bytes: for a million events, per-row work in JavaScript (a row array, eleven cells, two regex tests
 * each, then encoding) cost about twice what SQLite needs. The SQL below is csvCell and localTime
 * spelled in SQL; tests/unit/log-export.test.ts checks both spellings give the same bytes for awkward
 * values. Visits are formatted the same way, one line per row. Each check is one GLOB, the cheapest
 * test SQLite has for "contains any of" and "starts with".
 */
const STARTS_LIKE_FORMULA = "'[-=+@' || char(9) || char(13) || ']*'";
const NEEDS_QUOTES = `'*[",' || char(13) || char(10) || ']*'`;

/** csvCell of a text (or NULL) column, in SQL. */
function sqlCsvText(col: string): string {
  const guarded = `CASE WHEN ${col} GLOB ${STARTS_LIKE_FORMULA} THEN '''' || ${col} ELSE ${col} END`;
  return (
    `CASE WHEN ${col} IS NULL THEN '' ` +
    `WHEN ${col} GLOB ${NEEDS_QUOTES} THEN '"' || replace(${guarded}, '"', '""') || '"' ` +
    `WHEN ${col} GLOB ${STARTS_LIKE_FORMULA} THEN '''' || ${col} ` +
    `ELSE ${col} END`
  );
}

/** csvCell of a column meant to hold integers; the event table is not STRICT, so anything else goes the text way. */
function sqlCsvInteger(col: string): string {
  return `CASE WHEN typeof(${col}) = 'integer' THEN ${col} ELSE ${sqlCsvText(col)} END`;
}

/** The data column is a JSON object: it starts with "{" (never a formula) and, unless empty, has quotes. */
const SQL_CSV_DATA = `CASE WHEN unicode(e.data) = 123 AND instr(e.data, '"') THEN '"' || replace(e.data, '"', '""') || '"' ELSE ${sqlCsvText('e.data')} END`;

/** One CSV line from SQL cells, none of which may be NULL (concat_ws would drop it, separator and all). */
const concatCsv = (cells: readonly string[]) => `concat_ws(',', ${cells.join(', ')})`;

/** localTime in SQL: datetime() plus the offset spelled by concatenation (printf costs twice as much). */
function sqlLocalTime(at: string, offsetMin: string, offsets: KnownOffsets): string {
  const hours = `substr('0' || (abs(${offsetMin}) / 60), -2)`;
  const minutes = `substr('0' || (abs(${offsetMin}) % 60), -2)`;
  const spelled = `CASE WHEN ${offsetMin} < 0 THEN '-' ELSE '+' END || ${hours} || ':' || ${minutes}`;
  // The offsets the log holds, spelled once here by offsetText: one comparison per row instead of the
  // eight steps above, which cost a tenth of a big export. Any other value still goes the spelled way.
  const known = offsets.map((off) => `WHEN ${off} THEN '${offsetText(off)}' `).join('');
  const offset = known === '' ? spelled : `CASE ${offsetMin} ${known}ELSE ${spelled} END`;
  return `COALESCE(datetime(${at}, ${offsetMin} || ' minutes') || ' ' || ${offset}, '')`;
}

/** The distinct UTC offsets of the log's visits, whole minutes within a day (a kiosk rarely has more than two). */
type KnownOffsets = readonly number[];
function knownOffsets(db: Database): KnownOffsets {
  return db
    .prepare("SELECT DISTINCT utc_offset_min FROM visit WHERE typeof(utc_offset_min) = 'integer' AND utc_offset_min BETWEEN -1440 AND 1440 LIMIT 64")
    .pluck()
    .all() as number[];
}

/** SQL true when csvCell would change the text of `col`: it needs quotes or starts like a formula. */
const sqlNeedsGuard = (col: string) => `(${col} GLOB ${NEEDS_QUOTES} OR ${col} GLOB ${STARTS_LIKE_FORMULA})`;

/**
 * What is known about the whole event table (so about any selection of it), each fact found by walking an
 * index once per distinct value instead of looking at every row. False means "not known".
 */
interface EventTableFacts {
  /** Every event's visit_id names a visit (a log written with foreign keys off might break that). */
  everyEventHasVisit: boolean;
  /** No visit_id, no type needs guarding: those columns can be left out of the probe. */
  cleanVisitIds: boolean;
  cleanTypes: boolean;
}

const NOTHING_KNOWN: EventTableFacts = { everyEventHasVisit: false, cleanVisitIds: false, cleanTypes: false };

function eventTableFacts(db: Database): EventTableFacts {
  const visitIds = db
    .prepare(
      `SELECT COALESCE(MAX(NOT EXISTS (SELECT 1 FROM visit v WHERE v.visit_id = id)), 0) AS orphans, COALESCE(MAX(${sqlNeedsGuard('id')}), 0) AS unclean
       FROM (SELECT DISTINCT visit_id AS id FROM event)`,
    )
    .get() as { orphans: number; unclean: number };
  // A few dozen event types: hop from one to the next along the event_type index (DISTINCT would read it all).
  const uncleanTypes = db
    .prepare(
      `WITH RECURSIVE t(x) AS (SELECT MIN(type) FROM event UNION ALL SELECT (SELECT MIN(type) FROM event WHERE type > t.x) FROM t WHERE t.x IS NOT NULL)
       SELECT COALESCE(MAX(${sqlNeedsGuard('x')}), 0) FROM t`,
    )
    .pluck()
    .get() as number;
  return { everyEventHasVisit: visitIds.orphans === 0, cleanVisitIds: visitIds.unclean === 0, cleanTypes: uncleanTypes === 0 };
}

/*
 * Each event row looks its visit up only for the visit's UTC offset, and that lookup (an index search and
 * a table seek per row) is a sixth of the export. A kiosk that never changed its offset (no daylight
 * saving, where China's kiosks stand) has one offset for every visit; then the offset is written into the
 * SQL and the events are read alone. That gives the same rows as the join only when every event has its
 * visit (the foreign key says so, but a log may have been written with foreign keys off): a known fact.
 * A 'dates' selection filters on the visit's local date and keeps the join.
 */
function singleOffset(db: Database, selection: ExportSelection, facts: EventTableFacts): number | null {
  if (selection.range.kind === 'dates' || !facts.everyEventHasVisit) return null;
  const offsets = db
    .prepare("SELECT MIN(utc_offset_min) AS lo, MAX(utc_offset_min) AS hi, SUM(typeof(utc_offset_min) <> 'integer') AS odd FROM visit")
    .get() as { lo: number | null; hi: number | null; odd: number | null };
  const { lo, hi, odd } = offsets;
  if (lo === null || lo !== hi || odd !== 0 || !Number.isInteger(lo) || Math.abs(lo) > 1440) return null;
  return lo;
}

/** sqlLocalTime for events that all share one (integer) offset: the same bytes, with no per-row offset work. */
function sqlFixedLocalTime(at: string, offsetMin: number): string {
  return `COALESCE(datetime(${at}, '${offsetMin} minutes') || ' ${offsetText(offsetMin)}', '')`;
}

// concat_ws builds each line in one allocation, where a chain of || copies it once per cell.
const eventLine = (localTimeSql: string) => concatCsv([
  // seq is the INTEGER PRIMARY KEY: always an integer.
  'e.seq',
  sqlCsvText('e.event_id'),
  sqlCsvText('e.visit_id'),
  sqlCsvText('e.at'),
  localTimeSql,
  sqlCsvInteger('e.t_ms'),
  sqlCsvText('e.type'),
  sqlCsvText('e.exhibit_id'),
  sqlCsvText('e.activity_id'),
  sqlCsvText('e.item_id'),
  SQL_CSV_DATA,
]);

const visitLine = (offsets: KnownOffsets) => concatCsv([
  sqlCsvText('visit_id'),
  sqlCsvText('pack_id'),
  sqlCsvText('pack_version'),
  sqlCsvText('locale'),
  sqlCsvText('started_at'),
  sqlLocalTime('started_at', 'utc_offset_min', offsets),
  sqlCsvText('ended_at'),
  sqlCsvText('end_reason'),
  // Seconds, printed as JavaScript prints duration_ms / 1000: "35", not SQLite's "35.0".
  "CASE WHEN duration_ms IS NULL THEN '' WHEN duration_ms % 1000 = 0 THEN duration_ms / 1000 ELSE duration_ms / 1000.0 END",
]);

/*
 * Most rows need no guarding at all: ids, times and types that hold no quote, comma or line break and do
 * not start like a formula. So each chunk is formatted twice in one query: as final lines with the text
 * columns copied as they are (cheap concatenation), and as a probe string of just those columns, each
 * behind a \x1f. One regex over the probe tells whether every row really needed nothing; when one did,
 * the chunk is formatted again with the full per-cell guard (eventLine). Per-cell GLOBs on every row
 * cost about as much as all the rest of the export together. Building the probe is itself a fifth of the
 * export, so columns known clean for the whole table (EventTableFacts) are left out of it.
 */
const PROBED_COLUMNS = ['e.event_id', 'e.visit_id', 'e.at', 'e.type', 'e.exhibit_id', 'e.activity_id', 'e.item_id'];
const eventProbe = (columns: readonly string[]) => `concat_ws(char(31), '', ${columns.map((col) => `COALESCE(${col}, '')`).join(', ')})`;
/** A probed cell that csvCell would change: quotes needed anywhere, or a formula-like start after \x1f. */
// eslint-disable-next-line no-control-regex
const PROBE_NEEDS_GUARD = /[",\r\n]|\x1f[-=+@\t\r]/;
const eventLineUnguarded = (localTimeSql: string) => concatCsv([
  'e.seq',
  "COALESCE(e.event_id, '')",
  "COALESCE(e.visit_id, '')",
  "COALESCE(e.at, '')",
  localTimeSql,
  sqlCsvInteger('e.t_ms'),
  "COALESCE(e.type, '')",
  "COALESCE(e.exhibit_id, '')",
  "COALESCE(e.activity_id, '')",
  "COALESCE(e.item_id, '')",
  SQL_CSV_DATA,
]);

const EVENT_CHUNK_ROWS = 4096;

interface EventChunk {
  n: number;
  last: number | null;
  bytes: Buffer | null;
  probe: string | null;
}

/*
 * string_agg takes the chunk's lines in the order the subquery yields them, which is seq order: a subquery
 * with a LIMIT is never flattened into an aggregate query, so SQLite runs it on its own (as a co-routine)
 * and steps the aggregate row by row as they come. Saying `ORDER BY seq` inside string_agg as well made
 * SQLite sort every chunk again in a temp b-tree (EXPLAIN QUERY PLAN: "USE TEMP B-TREE FOR
 * string_agg(ORDER BY)"), about a quarter of the whole export.
 */
function writeEventsCsv(db: Database, selection: ExportSelection, path: string, header: readonly string[], write: WriteChunk | undefined, onRows: (n: number) => void): WrittenCsv {
  // The facts cost a walk of the whole event_visit index: worth it when the export reads much of the log
  // anyway, not for a small since-last export from a big one.
  const facts = selection.eventRows * 4 >= selection.toSeq ? eventTableFacts(db) : NOTHING_KNOWN;
  const offset = singleOffset(db, selection, facts);
  const probed = PROBED_COLUMNS.filter((col) => !(col === 'e.visit_id' && facts.cleanVisitIds) && !(col === 'e.type' && facts.cleanTypes));
  const localTimeSql = offset === null ? sqlLocalTime('e.at', 'v.utc_offset_min', knownOffsets(db)) : sqlFixedLocalTime('e.at', offset);
  const source = offset === null ? 'event e JOIN visit v ON v.visit_id = e.visit_id' : 'event e';
  const chunkOf = (line: string, probe: string) =>
    db.prepare(
      `SELECT COUNT(*) AS n, MAX(seq) AS last, CAST(string_agg(line, '') AS BLOB) AS bytes, ${probe} AS probe FROM (
         SELECT e.seq AS seq, ${line} || char(13, 10) AS line${probe === 'NULL' ? '' : `, ${eventProbe(probed)} AS probe_row`}
         FROM ${source}
         WHERE (${selection.events.where}) AND e.seq > @cursor ORDER BY e.seq LIMIT ${EVENT_CHUNK_ROWS})`,
    );
  const fast = chunkOf(eventLineUnguarded(localTimeSql), "string_agg(probe_row, '')");
  const guarded = chunkOf(eventLine(localTimeSql), 'NULL');
  const file = createBufferedFile(path, { durable: true, ...(write ? { write } : {}) });
  try {
    file.append(CSV_BOM + csvRow(header));
    let rows = 0;
    let cursor = -1;
    for (;;) {
      const params = { ...selection.events.params, cursor };
      let next = fast.get(params) as EventChunk;
      if (next.n === 0 || next.bytes === null || next.last === null) break;
      if (next.probe !== null && PROBE_NEEDS_GUARD.test(next.probe)) next = guarded.get(params) as EventChunk;
      if (next.bytes === null || next.last === null) break;
      file.appendBytes(next.bytes);
      rows += next.n;
      cursor = next.last;
      onRows(next.n);
      if (next.n < EVENT_CHUNK_ROWS) break;
    }
    return { ...file.finish(), rows };
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** Visits are fewer (one per ~15 events): one formatted line per row is fast enough, no chunks needed. */
function writeVisitsCsv(db: Database, selection: ExportSelection, path: string, header: readonly string[], write: WriteChunk | undefined, tick: () => void): WrittenCsv {
  const lines = db
    .prepare(`SELECT ${visitLine(knownOffsets(db))} || char(13, 10) FROM visit WHERE ${selection.visits.where} ORDER BY started_at, visit_id`)
    .pluck()
    .iterate(selection.visits.params) as IterableIterator<string>;
  const file = createBufferedFile(path, { durable: true, ...(write ? { write } : {}) });
  try {
    file.append(CSV_BOM + csvRow(header));
    let rows = 0;
    for (const line of lines) {
      file.append(line);
      rows += 1;
      tick();
    }
    return { ...file.finish(), rows };
  } catch (error) {
    file.abort();
    throw error;
  }
}

/**
 * Writes the visits and the events of a selection as two CSV files (visits first). The rows are read and
 * written synchronously on purpose: the connection is shared with the visit log, which cannot write
 * while a statement iterator is open across an await.
 */
export function writeCsvExport(db: Database, selection: ExportSelection, context: ExportContext): ExportedFile[] {
  const { seq, dates } = exportNameParts(selection, context.now);
  // A since-last visits file depends on its seq range, so two exports on one day must not share a name.
  const visitsName = selection.range.kind === 'since-last' ? `visits_${seq}_${dates}.csv` : `visits_${dates}.csv`;
  const eventsName = `events_${seq}_${dates}.csv`;
  const headers = CSV_HEADERS[context.lang];
  const total = selection.visitRows + selection.eventRows;
  const progress = rowProgress(total, context.onProgress);

  const visits = writeVisitsCsv(db, selection, join(context.outDir, visitsName), headers.visits, context.write, progress.tick);
  let events: WrittenCsv;
  try {
    let done = selection.visitRows;
    events = writeEventsCsv(db, selection, join(context.outDir, eventsName), headers.events, context.write, (n) => {
      done += n;
      context.onProgress?.(done, total);
    });
  } catch (error) {
    // An export is both files or neither: a visits file alone would look like a complete hand-over.
    rmSync(visits.path, { force: true });
    throw error;
  }
  progress.end();
  return [
    { target: 'visits', ...visits },
    { target: 'events', ...events },
  ];
}

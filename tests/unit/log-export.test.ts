import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBufferedFile } from '../../electron/core/log/export/buffered-file';
import { CSV_BOM, csvCell, csvRow, type CsvValue } from '../../electron/core/log/export/csv-writer';
import { CSV_HEADERS } from '../../electron/core/log/export/export-csv';
import { exportLogs, type ExportLogsOptions } from '../../electron/core/log/export/export-logs';
import { localTime } from '../../electron/core/log/export/local-time';
import { migration0001 } from '../../electron/core/log/migrations/0001-visit-log';
import { migration0002 } from '../../electron/core/log/migrations/0002-export-record';
import { migrate } from '../../electron/core/log/migrations';
import { dataPaths } from '../../electron/core/paths';
import { REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { EXPORT_NOW, kioskWithLog, TRICKY } from './log-export-fixture';

/** RFC 4180, just enough to read back what the writer wrote: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && cell === '') {
      i += 1;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          cell += text[i];
          i += 1;
        }
      }
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else {
      cell += c;
      i += 1;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('the last row has no CRLF');
  return rows;
}

function readCsv(path: string): { bom: boolean; rows: string[][]; raw: string } {
  const raw = readFileSync(path, 'utf8');
  return { bom: raw.startsWith('\uFEFF'), rows: parseCsv(raw.replace(/^\uFEFF/, '')), raw };
}

type CsvOptions = Omit<ExportLogsOptions, 'format'>;
const options = (outDir: string, over: Partial<CsvOptions> = {}): CsvOptions => ({
  outDir,
  appVersion: '1.0.0',
  lang: 'zh-CN',
  range: { kind: 'all' },
  now: EXPORT_NOW,
  ...over,
});

const exportCsv = (db: Database.Database, o: CsvOptions) => exportLogs(db, { ...o, format: 'csv' });
const exportRows = (db: Database.Database) => db.prepare('SELECT format, target, from_seq, to_seq, rows FROM export ORDER BY export_id').all();

describe('migration 0002 (export record)', () => {
  it('adds the export table and keeps the data of a v1 log', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001]);
    db.prepare("INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min) VALUES ('v', 'p', '1', 'en', 't', 0)").run();
    db.prepare("INSERT INTO event (event_id, visit_id, at, t_ms, type, data, hash) VALUES ('e', 'v', 't', 0, 'visit.start', '{}', 'h')").run();
    expect(migrate(db, [migration0001, migration0002])).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const columns = (db.prepare('PRAGMA table_info(export)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['export_id', 'format', 'target', 'range', 'from_seq', 'to_seq', 'rows', 'file', 'sha256', 'created_at']);
    expect(db.prepare('SELECT visit_id FROM visit').all()).toEqual([{ visit_id: 'v' }]);
    expect(db.prepare('SELECT event_id, hash FROM event').all()).toEqual([{ event_id: 'e', hash: 'h' }]);
  });
});

describe('CSV cells', () => {
  it('quotes per RFC 4180, keeps numbers bare and guards text that a spreadsheet would run', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(42.5)).toBe('42.5');
    expect(csvCell('-3')).toBe("'-3");
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell('中文')).toBe('中文');
  });

  it('streams many rows to a file that appears only when finished', () => {
    const dir = tempDir();
    const file = createBufferedFile(join(dir, 'big.csv'), { durable: true });
    file.append(CSV_BOM + csvRow(['n', 'text']));
    for (let n = 0; n < 50_000; n += 1) file.append(csvRow([n - 1, `行 ${n}, "x"`]));
    expect(readdirSync(dir).filter((f) => f === 'big.csv')).toEqual([]);
    const written = file.finish();
    expect(readdirSync(dir)).toEqual(['big.csv']);
    const { rows, bom } = readCsv(written.path);
    expect(bom).toBe(true);
    expect(written.bytes).toBe(readFileSync(written.path).length);
    expect(rows).toHaveLength(50_001);
    expect(rows[1]).toEqual(['-1', '行 0, "x"']);
    expect(rows[50_000]).toEqual(['49998', '行 49999, "x"']);
  });
});

describe('exportCsv', () => {
  it('writes visits and events with a BOM, CRLF, Chinese headers and guarded, round-tripping cells', async () => {
    const { kiosk, zh, en } = await kioskWithLog();
    const out = tempDir();
    const result = await exportCsv(kiosk.db, options(out));
    expect(result).toMatchObject({ fromSeq: 1, toSeq: 8 });
    const [visitsFile, eventsFile] = result.files;
    expect(visitsFile!.path).toBe(join(out, 'visits_2026-11-30_2026-12-01.csv'));
    expect(eventsFile!.path).toBe(join(out, 'events_seq1-8_2026-11-30_2026-12-01.csv'));

    const visits = readCsv(visitsFile!.path);
    expect(visits.bom).toBe(true);
    expect(visits.raw.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(visits.rows[0]).toEqual(['参观编号', '内容包', '版本', '语言', '开始时间 (UTC)', '开始时间（当地时间，含 UTC 偏移）', '结束时间 (UTC)', '结束原因', '时长（秒）']);
    expect(visits.rows.slice(1).map((r) => [r[0], r[3], r[4], r[7], r[8]])).toEqual([
      [zh, 'zh-CN', '2026-11-30T08:00:00.000Z', 'completed', '35'],
      [en, 'en', '2026-12-01T08:00:35.000Z', 'completed', '35'],
    ]);
    const offset = (kiosk.db.prepare('SELECT utc_offset_min AS o FROM visit WHERE visit_id = ?').get(zh) as { o: number }).o;
    expect(visits.rows[1]![5]).toBe(localTime('2026-11-30T08:00:00.000Z', offset));
    expect(visits.raw).toContain(',35\r\n');

    const events = readCsv(eventsFile!.path);
    expect(events.rows[0]!.slice(0, 4)).toEqual(['序号', '事件编号', '参观编号', '时间 (UTC)']);
    expect(events.rows).toHaveLength(1 + 8);
    expect(events.rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(eventsFile!.rows).toBe(8);
    const byType = (type: string) => events.rows.find((r) => r[6] === type)!;
    expect(byType('exhibit.open')[7]).toBe('领事保护');
    expect(byType('activity.open')[8]).toBe("'=1+1");
    expect(byType('quiz.answer')[9]).toBe("'@SUM(A1:A9)");
    expect(byType('quiz.answer')[10]).toBe('{"chosen":["b"],"correct":false,"ms":3900}');
    expect(events.rows.find((r) => r[7] === 'first')![9]).toBe(TRICKY);
    expect(exportRows(kiosk.db)).toEqual([
      { format: 'csv', target: 'visits', from_seq: 1, to_seq: 8, rows: 2 },
      { format: 'csv', target: 'events', from_seq: 1, to_seq: 8, rows: 8 },
    ]);
    kiosk.close();
  });

  it('states the time zone in English headers and shows local time with its offset', async () => {
    expect(localTime('2026-11-30T08:00:00.000Z', 480)).toBe('2026-11-30 16:00:00 +08:00');
    expect(localTime('2026-11-30T02:00:00.000Z', -330)).toBe('2026-11-29 20:30:00 -05:30');
    const { kiosk } = await kioskWithLog();
    const { files } = await exportCsv(kiosk.db, options(tempDir(), { lang: 'en' }));
    expect(readCsv(files[0]!.path).rows[0]!.slice(0, 6)).toEqual(['Visit id', 'Pack', 'Pack version', 'Language', 'Started (UTC)', 'Started (local time, UTC offset shown)']);
    expect(readCsv(files[1]!.path).rows[0]!.slice(3, 5)).toEqual(['Time (UTC)', 'Local time (UTC offset shown)']);
    kiosk.close();
  });

  it('exports a range of local dates, both ends included', async () => {
    const { kiosk, en } = await kioskWithLog();
    const out = tempDir();
    const { files } = await exportCsv(kiosk.db, options(out, { range: { kind: 'dates', from: '2026-12-01', to: '2026-12-01' } }));
    expect(files.map((f) => f.path)).toEqual([join(out, 'visits_2026-12-01_2026-12-01.csv'), join(out, 'events_seq6-8_2026-12-01_2026-12-01.csv')]);
    expect(readCsv(files[0]!.path).rows.slice(1).map((r) => r[0])).toEqual([en]);
    expect(files[1]!.rows).toBe(3);
    await expect(exportCsv(kiosk.db, options(out, { range: { kind: 'dates', from: '2026-12-02', to: '2026-12-01' } }))).rejects.toThrow(/date range/);
    // A look at one day is not a hand-over: "new since last time" still starts from the beginning.
    expect(await exportCsv(kiosk.db, options(tempDir(), { range: { kind: 'since-last' } }))).toMatchObject({ fromSeq: 1, toSeq: 8 });
    kiosk.close();
  });

  it('exports only what is new since the last export, then header-only files', async () => {
    const { kiosk, en } = await kioskWithLog();
    const first = await exportCsv(kiosk.db, options(tempDir(), { range: { kind: 'since-last' } }));
    expect(first).toMatchObject({ fromSeq: 1, toSeq: 8 });

    kiosk.clock.advance(60_000);
    const { visitId } = await kiosk.service.startVisit({ locale: 'en' });
    await kiosk.service.endVisit({ visitId, reason: 'idle' });
    const out = tempDir();
    const second = await exportCsv(kiosk.db, options(out, { range: { kind: 'since-last' } }));
    expect(second).toMatchObject({ fromSeq: 9, toSeq: 10 });
    expect(second.files.map((f) => f.path)).toEqual([join(out, 'visits_seq9-10_2026-12-01_2026-12-01.csv'), join(out, 'events_seq9-10_2026-12-01_2026-12-01.csv')]);
    expect(readCsv(second.files[0]!.path).rows.slice(1).map((r) => r[0])).toEqual([visitId]);
    expect(readCsv(second.files[1]!.path).rows.slice(1).map((r) => r[0])).toEqual(['9', '10']);
    expect(visitId).not.toBe(en);

    const third = await exportCsv(kiosk.db, options(out, { range: { kind: 'since-last' } }));
    expect(third).toMatchObject({ fromSeq: 11, toSeq: 10 });
    expect(third.files.map((f) => f.rows)).toEqual([0, 0]);
    expect(third.files.map((f) => readCsv(f.path).rows.length)).toEqual([1, 1]);
    expect(third.files[1]!.path).toBe(join(out, 'events_seq-none_2026-12-02_2026-12-02.csv'));
    kiosk.close();
  });

  it('records nothing when the files could not be written, so the watermark stays put', async () => {
    const { kiosk } = await kioskWithLog();
    const notADir = join(tempDir(), 'file.txt');
    writeFileSync(notADir, 'x');
    await expect(exportCsv(kiosk.db, options(notADir, { range: { kind: 'since-last' } }))).rejects.toThrow();
    expect(exportRows(kiosk.db)).toEqual([]);
    expect(await exportCsv(kiosk.db, options(tempDir(), { range: { kind: 'since-last' } }))).toMatchObject({ fromSeq: 1, toSeq: 8 });
    kiosk.close();
  });
});

describe('the events CSV fast path', () => {
  const awkward = ['=1+1', '+1', '-3', '@x', '\tx', '\rx', 'a,b', 'say "hi"', 'two\r\nlines', 'lf\nonly'];
  it.each(awkward)('notices %j in any text column and guards it like csvCell', async (text) => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min) VALUES ('v', 'p', '1', 'en', '2026-11-30T02:00:00.000Z', 60)").run();
    const insert = db.prepare("INSERT INTO event (event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, 'v', '2026-11-30T02:00:01.000Z', 5, ?, ?, ?, ?, ?, 'h')");
    const clean = ['e-clean', 'exhibit.open', 'hall', 'film', 'chapter', '{}'] as const;
    for (let column = 0; column < clean.length; column += 1) {
      const row: string[] = [...clean];
      row[column] = column === 0 ? `${text}#${column}` : text;
      if (column !== 0) row[0] = `e${column}`;
      insert.run(...row);
    }
    insert.run('e-last', ...clean.slice(1));
    const { files } = await exportLogs(db, { ...options(tempDir(), { lang: 'en' }), format: 'csv' });
    const rows = db.prepare('SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data FROM event ORDER BY seq').all() as { seq: number; event_id: string; visit_id: string; at: string; t_ms: number; type: string; exhibit_id: string | null; activity_id: string | null; item_id: string | null; data: string }[];
    const expected = rows.map((r) => csvRow([r.seq, r.event_id, r.visit_id, r.at, localTime(r.at, 60), r.t_ms, r.type, r.exhibit_id, r.activity_id, r.item_id, r.data])).join('');
    expect(readFileSync(files[1]!.path, 'utf8')).toBe('\uFEFF' + csvRow(CSV_HEADERS.en.events) + expected);
    db.close();
  });
});

describe('exportLogs, the one entry point', () => {
  it('hands the sync bundle to writeBundle, whose watermark is its own', async () => {
    const { kiosk } = await kioskWithLog();
    const out = tempDir();
    const bundle = await exportLogs(kiosk.db, { ...options(out, { range: { kind: 'since-last' } }), format: 'bundle' });
    expect(bundle).toMatchObject({ fromSeq: 1, toSeq: 8 });
    expect(bundle.files).toHaveLength(1);
    expect(bundle.files[0]!.path).toMatch(/\.kbundle$/);
    expect(bundle.files[0]).toMatchObject({ rows: 8, bytes: readFileSync(bundle.files[0]!.path).length });
    expect(await exportLogs(kiosk.db, { ...options(tempDir(), { range: { kind: 'since-last' } }), format: 'bundle' })).toMatchObject({ fromSeq: 9, toSeq: 8 });
    // Neither moved the CSV watermark, and a CSV export does not move the bundle's.
    expect(await exportCsv(kiosk.db, options(tempDir(), { range: { kind: 'since-last' } }))).toMatchObject({ fromSeq: 1, toSeq: 8 });
    await expect(exportLogs(kiosk.db, { ...options(out, { range: { kind: 'dates', from: '2026-11-30', to: '2026-11-30' } }), format: 'bundle' })).rejects.toThrow(/dates/);
    kiosk.close();
  });
});

describe('the events CSV formatted by SQLite', () => {
  it('gives byte for byte what csvCell and localTime give, for awkward values too', async () => {
    const db = new Database(':memory:');
    migrate(db);
    const visits: [string, number, number | null, string][] = [
      ['v-east', 480, 35_000, 'p'],
      ['v-west', -330, 1_234, '=pack, "x"'],
      ['v-utc', 0, null, '-1'],
      ['v-late', 345, 1, '中文'],
      ['v-long', -720, 123_456_789, 'tab\tin'],
    ];
    for (const [id, offset, durationMs, pack] of visits) {
      db.prepare(
        "INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min, ended_at, end_reason, duration_ms) VALUES (?, ?, '1', 'en', '2026-11-30T02:00:00.000Z', ?, ?, ?, ?)",
      ).run(id, pack, offset, durationMs === null ? null : '2026-11-30T03:00:00.000Z', durationMs === null ? null : 'idle', durationMs);
    }
    const awkward: (string | null)[] = [null, '', '=1+1', '+1', '-3', '@x', '\tx', '\rx', 'a,b', 'say "hi"', 'two\r\nlines', 'lf\nonly', '中文，全角', "it's", ' lead', '{"a":[1,"b"]}'];
    const insert = db.prepare('INSERT INTO event (event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    awkward.forEach((text, i) => {
      const visitId = visits[i % visits.length]![0];
      const at = new Date(Date.parse('2026-11-30T23:59:58.999Z') + i * 61_001).toISOString();
      insert.run(`e${i}`, visitId, at, i === 3 ? 'not a number' : i * 1000 - 2, text ?? 'x', text, awkward[(i + 5) % awkward.length], awkward[(i + 9) % awkward.length], text ?? '{}', 'h');
    });
    const out = tempDir();
    const { files } = await exportLogs(db, { ...options(out, { lang: 'en' }), format: 'csv' });

    const rows = db
      .prepare('SELECT e.seq, e.event_id, e.visit_id, e.at, v.utc_offset_min AS offset, e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data FROM event e JOIN visit v USING (visit_id) ORDER BY e.seq')
      .all() as { seq: number; event_id: string; visit_id: string; at: string; offset: number; t_ms: CsvValue; type: string; exhibit_id: string | null; activity_id: string | null; item_id: string | null; data: string }[];
    const expected =
      '\uFEFF' +
      csvRow(CSV_HEADERS.en.events) +
      rows.map((r) => csvRow([r.seq, r.event_id, r.visit_id, r.at, localTime(r.at, r.offset), r.t_ms, r.type, r.exhibit_id, r.activity_id, r.item_id, r.data])).join('');
    expect(readFileSync(files[1]!.path, 'utf8')).toBe(expected);
    expect(files[1]!.rows).toBe(awkward.length);

    const visitRows = db.prepare('SELECT * FROM visit ORDER BY started_at, visit_id').all() as { visit_id: string; pack_id: string; pack_version: string; locale: string; started_at: string; utc_offset_min: number; ended_at: string | null; end_reason: string | null; duration_ms: number | null }[];
    const expectedVisits =
      '\uFEFF' +
      csvRow(CSV_HEADERS.en.visits) +
      visitRows
        .map((v) => csvRow([v.visit_id, v.pack_id, v.pack_version, v.locale, v.started_at, localTime(v.started_at, v.utc_offset_min), v.ended_at, v.end_reason, v.duration_ms === null ? null : v.duration_ms / 1000]))
        .join('');
    expect(readFileSync(files[0]!.path, 'utf8')).toBe(expectedVisits);
    expect(expectedVisits).toContain(',35\r\n');
    expect(expectedVisits).toContain(',123456.789\r\n');
    db.close();
  });
});

describe('the events CSV over many chunks', () => {
  // The events file is formatted a few thousand rows per query, with shortcuts for chunks that need no
  // guarding and for logs with one UTC offset: both paths, across chunk borders, must give the same bytes
  // as the plain cell-by-cell formatting, in seq order.
  for (const offsets of [[480], [480, -330, 0]]) {
    it(`matches csvRow byte for byte across 9,000 events (offsets ${offsets.join(', ')})`, async () => {
      const db = new Database(':memory:');
      migrate(db);
      const insertVisit = db.prepare(
        "INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min) VALUES (?, 'p', '1', 'en', '2026-11-30T02:00:00.000Z', ?)",
      );
      offsets.forEach((offset, i) => insertVisit.run(`v${i}`, offset));
      const insert = db.prepare('INSERT INTO event (event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const awkward = ['=1+1', 'a,b', 'say "hi"', 'two\r\nlines', '@x'];
      db.transaction(() => {
        for (let i = 0; i < 9_000; i += 1) {
          // Awkward cells only in the second chunk, so the first and third take the unguarded path.
          const odd = i >= 5_000 && i < 5_010 ? awkward[i % awkward.length]! : null;
          const at = new Date(Date.parse('2026-11-30T02:00:00.000Z') + i * 997).toISOString();
          insert.run(`e${String(i).padStart(5, '0')}`, `v${i % offsets.length}`, at, i, 'video.play', odd ?? 'x1', 'a1', odd, '{"position":1}', 'h');
        }
      })();
      const out = tempDir();
      const { files } = await exportLogs(db, { ...options(out, { lang: 'en' }), format: 'csv' });
      const rows = db
        .prepare('SELECT e.seq, e.event_id, e.visit_id, e.at, v.utc_offset_min AS offset, e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data FROM event e JOIN visit v USING (visit_id) ORDER BY e.seq')
        .all() as { seq: number; event_id: string; visit_id: string; at: string; offset: number; t_ms: number; type: string; exhibit_id: string | null; activity_id: string | null; item_id: string | null; data: string }[];
      const expected =
        '\uFEFF' +
        csvRow(CSV_HEADERS.en.events) +
        rows.map((r) => csvRow([r.seq, r.event_id, r.visit_id, r.at, localTime(r.at, r.offset), r.t_ms, r.type, r.exhibit_id, r.activity_id, r.item_id, r.data])).join('');
      expect(readFileSync(files[1]!.path, 'utf8')).toBe(expected);
      expect(files[1]!.rows).toBe(9_000);
      db.close();
    });
  }
});

/** The real `kiosk` command: the built bundle, so run `node scripts/build-electron.js` first. */
function kiosk(...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kiosk logs (CLI)', () => {
  it('exports CSV, refusing other formats and mixed ranges as usage errors, and audits each export', async () => {
    const { kiosk: core } = await kioskWithLog();
    core.close();
    const out = tempDir();
    const done = kiosk('logs', 'export', '--format', 'csv', '--since-last', '--out', out, '--data', core.dataDir, '--lang', 'en');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('events_seq1-8_');
    expect(done.stdout).toContain('(8 rows)');
    expect(readdirSync(out)).toHaveLength(2);
    const again = kiosk('logs', 'export', '--format', 'csv', '--since-last', '--out', out, '--data', core.dataDir, '--json');
    expect(JSON.parse(again.stdout).files.map((f: { rows: number }) => f.rows)).toEqual([0, 0]);
    expect(kiosk('logs', 'export', '--format', 'pdf', '--out', out, '--data', core.dataDir).code).toBe(2);
    expect(kiosk('logs', 'export', '--out', out, '--data', core.dataDir).code).toBe(2);
    expect(kiosk('logs', 'export', '--format', 'csv', '--since-last', '--from', '2026-11-30', '--to', '2026-11-30', '--out', out).code).toBe(2);
    expect(kiosk('logs', 'export', '--format', 'csv', '--from', '2026-11-31', '--to', '2026-12-01', '--out', out).code).toBe(2);
    expect(kiosk('logs', 'export', '--format', 'csv', '--out', out, '--data', tempDir()).code).toBe(1);

    // Every file that left the kiosk is in its audit trail, made on the screen or on the command line.
    expect(kiosk('logs', 'bundle', '--out', out, '--data', core.dataDir).code).toBe(0);
    const audit = JSON.parse(kiosk('admin', 'audit', '--data', core.dataDir, '--json').stdout) as { actor: string; action: string; detail: { format: string; files: unknown[] } }[];
    const exports = audit.filter((entry) => entry.action === 'export.write');
    expect(exports.map((entry) => [entry.actor, entry.detail.format, entry.detail.files.length])).toEqual([
      ['cli', 'bundle', 1],
      ['cli', 'csv', 2],
      ['cli', 'csv', 2],
    ]);
  });

  it('verifies the chain and names the seq where an edited row broke it', async () => {
    const { kiosk: core } = await kioskWithLog();
    core.close();
    const ok = kiosk('logs', 'verify', '--data', core.dataDir, '--lang', 'en');
    expect(ok).toMatchObject({ code: 0, stdout: '✓ 8 events, chain intact\n' });

    const db = new Database(dataPaths(core.dataDir).database);
    db.exec('DROP TRIGGER event_append_only_update');
    db.prepare("UPDATE event SET item_id = 'tampered' WHERE seq = 4").run();
    db.close();
    const broken = kiosk('logs', 'verify', dataPaths(core.dataDir).database, '--lang', 'en');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('broken at seq 4');
    expect(kiosk('logs', 'verify', '--lang', 'zh-CN', '--data', core.dataDir).stdout).toContain('序号 4');
  });
});

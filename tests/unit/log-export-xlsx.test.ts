import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportLogs, type ExportLogsOptions } from '../../electron/core/log/export/export-logs';
import { writeXlsxExport } from '../../electron/core/log/export/export-xlsx';
import { selectForExport } from '../../electron/core/log/export/selection';
import { xmlText } from '../../electron/core/log/export/xlsx-sheet';
import { extractKpack, inspectKpack } from '../../electron/core/packs/zip/read-kpack';
import { tempDir } from '../helpers/temp-dir';
import { EXPORT_NOW, kioskWithLog, TRICKY } from './log-export-fixture';

type Options = Omit<ExportLogsOptions, 'format'>;
const options = (outDir: string, over: Partial<Options> = {}): Options => ({ outDir, appVersion: '1.0.0', lang: 'en', range: { kind: 'all' }, now: EXPORT_NOW, ...over });

const decode = (xml: string) =>
  xml.replace(/&(amp|lt|gt|quot|#13);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#13': '\r' })[name]!);

interface Cell {
  ref: string;
  style: string | null;
  kind: 'number' | 'text';
  value: string;
}

/** The cells of a worksheet part as written: enough of SpreadsheetML to check what Excel will see. */
function sheetCells(xml: string): Cell[][] {
  const rows: Cell[][] = [];
  for (const [, body] of xml.matchAll(/<row r="\d+">(.*?)<\/row>/gs)) {
    const cells: Cell[] = [];
    for (const m of body!.matchAll(/<c r="([A-Z]+\d+)"(?: s="(\d+)")?( t="inlineStr")?>(?:<v>([^<]*)<\/v>|<is><t(?: xml:space="preserve")?>(.*?)<\/t><\/is>)<\/c>/gs)) {
      cells.push({ ref: m[1]!, style: m[2] ?? null, kind: m[3] ? 'text' : 'number', value: m[3] ? decode(m[5]!) : m[4]! });
    }
    rows.push(cells);
  }
  return rows;
}

async function unpack(path: string) {
  const entries = (await inspectKpack(path)).map((e) => e.name);
  const dir = tempDir();
  await extractKpack(path, join(dir, 'x'));
  const read = (name: string) => readFileSync(join(dir, 'x', name), 'utf8');
  const workbook = read('xl/workbook.xml');
  const sheetNames = [...workbook.matchAll(/<sheet name="([^"]+)" sheetId="(\d+)" r:id="rId(\d+)"\/>/g)].map((m) => decode(m[1]!));
  return { entries, read, workbook, sheetNames, sheet: (n: number) => read(`xl/worksheets/sheet${n}.xml`) };
}

/** python3 with openpyxl, if this machine has it (Debian: apt-get install python3-openpyxl). */
function pythonWithOpenpyxl(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import openpyxl'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}
const OPENPYXL = pythonWithOpenpyxl();

describe('XLSX export', () => {
  it('writes one workbook with summary, visits and events sheets, numbers as numbers and text as inline strings', async () => {
    const { kiosk, zh, en } = await kioskWithLog();
    const out = tempDir();
    const result = await exportLogs(kiosk.db, { ...options(out), format: 'xlsx' });
    expect(result).toMatchObject({ fromSeq: 1, toSeq: 8 });
    expect(result.files).toHaveLength(1);
    const file = result.files[0]!;
    expect(file.path).toBe(join(out, 'visit-log_seq1-8_2026-11-30_2026-12-01.xlsx'));
    expect(file.rows).toBe(8);
    expect(file.bytes).toBe(readFileSync(file.path).length);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(out)).toEqual(['visit-log_seq1-8_2026-11-30_2026-12-01.xlsx']);

    const book = await unpack(file.path);
    expect(book.entries).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/worksheets/sheet3.xml',
    ]);
    expect(book.sheetNames).toEqual(['summary', 'visits', 'events']);
    for (let n = 1; n <= 3; n += 1) expect(book.read('[Content_Types].xml')).toContain(`/xl/worksheets/sheet${n}.xml`);
    expect(book.workbook).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="2" hidden="1">'events'!$A$1:$K$9</definedName>`);

    const visits = sheetCells(book.sheet(2));
    expect(visits).toHaveLength(3);
    expect(visits[0]!.map((c) => c.value)).toEqual(['Visit id', 'Pack', 'Pack version', 'Language', 'Started (UTC)', 'Started (local time, UTC offset shown)', 'Ended (UTC)', 'End reason', 'Duration (s)']);
    expect(visits[0]!.every((c) => c.style === '1')).toBe(true);
    expect(visits.slice(1).map((r) => r[0]!.value)).toEqual([zh, en]);
    expect(visits[1]![8]).toEqual({ ref: 'I2', style: null, kind: 'number', value: '35' });

    const events = book.sheet(3);
    expect(events).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(events).toContain('<autoFilter ref="A1:K9"/>');
    expect(events).toMatch(/<cols><col min="1" max="1" width="\d+" customWidth="1"\/>/);
    const rows = sheetCells(events);
    expect(rows).toHaveLength(9);
    expect(rows.slice(1).map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((seq) => ({ ref: `A${seq + 1}`, style: null, kind: 'number', value: String(seq) })));
    // An inline string is never a formula, so spreadsheet-looking text stays exactly what was logged.
    expect(rows.flat().filter((c) => c.value === '=1+1' || c.value === '@SUM(A1:A9)').map((c) => c.kind)).toEqual(['text', 'text']);
    expect(rows.flat().find((c) => c.value === TRICKY)?.kind).toBe('text');
    expect(rows[4]!.find((c) => c.ref === 'K5')?.value).toBe('{"chosen":["b"],"correct":false,"ms":3900}');

    const summary = sheetCells(book.sheet(1));
    const line = (label: string) => summary.find((r) => r[0]?.value === label)?.slice(1).map((c) => c.value);
    expect(summary[0]![0]).toMatchObject({ value: 'Visit log summary', style: '1' });
    expect(line('Visits')).toEqual(['2']);
    expect(line('Events')).toEqual(['8']);
    expect(line('Median visit duration (s)')).toEqual(['35']);
    expect(line('2026-11-30')).toEqual(['1']);
    expect(line('completed')).toEqual(['2', '1']);
    expect(line('=1+1')).toEqual(['quiz', '1', '1', '0.5']);
    expect(summary.flat().find((c) => c.value === '0.5')?.style).toBe('2');
    expect(book.sheet(1)).not.toContain('<autoFilter');

    expect(kiosk.db.prepare('SELECT format, target, rows FROM export').all()).toEqual([{ format: 'xlsx', target: 'workbook', rows: 8 }]);
    kiosk.close();
  });

  it('names sheets and headers in Chinese, and keeps its own since-last watermark', async () => {
    const { kiosk } = await kioskWithLog();
    const first = await exportLogs(kiosk.db, { ...options(tempDir(), { lang: 'zh-CN', range: { kind: 'since-last' } }), format: 'xlsx' });
    expect(first).toMatchObject({ fromSeq: 1, toSeq: 8 });
    const book = await unpack(first.files[0]!.path);
    expect(book.sheetNames).toEqual(['汇总', '参观', '事件']);
    expect(sheetCells(book.sheet(3))[0]!.slice(0, 4).map((c) => c.value)).toEqual(['序号', '事件编号', '参观编号', '时间 (UTC)']);
    expect(sheetCells(book.sheet(1))[0]![0]!.value).toBe('参观记录汇总');

    const again = await exportLogs(kiosk.db, { ...options(tempDir(), { range: { kind: 'since-last' } }), format: 'xlsx' });
    expect(again).toMatchObject({ fromSeq: 9, toSeq: 8 });
    expect(again.files[0]!.rows).toBe(0);
    expect(sheetCells((await unpack(again.files[0]!.path)).sheet(3))).toHaveLength(1);
    // Handing the workbook over does not count as handing over the CSV.
    expect(await exportLogs(kiosk.db, { ...options(tempDir(), { range: { kind: 'since-last' } }), format: 'csv' })).toMatchObject({ fromSeq: 1, toSeq: 8 });
    kiosk.close();
  });

  it('continues the events on "events (2)", "events (3)" when a sheet is full', async () => {
    const { kiosk } = await kioskWithLog();
    const out = tempDir();
    const selection = selectForExport(kiosk.db, 'xlsx', { kind: 'all' });
    const [file] = await writeXlsxExport(kiosk.db, selection, { outDir: out, lang: 'en', now: EXPORT_NOW, appVersion: '1.0.0' }, { sheetRowLimit: 4 });
    const book = await unpack(file!.path);
    expect(book.sheetNames).toEqual(['summary', 'visits', 'events', 'events (2)', 'events (3)']);
    const seqs = [3, 4, 5].map((n) => sheetCells(book.sheet(n)).map((r) => r[0]!.value));
    expect(seqs).toEqual([
      ['Seq', '1', '2', '3'],
      ['Seq', '4', '5', '6'],
      ['Seq', '7', '8'],
    ]);
    expect(book.sheet(5)).toContain('<autoFilter ref="A1:K3"/>');
    expect(book.workbook).toContain(`localSheetId="4" hidden="1">'events (3)'!$A$1:$K$3</definedName>`);
    kiosk.close();
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(xmlText('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
    expect(xmlText('line\r\nnext')).toBe('line&#13;\nnext');
    expect(xmlText('bell\u0007 tab\t')).toBe('bell\uFFFD tab\t');
    expect(xmlText('中文')).toBe('中文');
  });

  // Skipped only where python3 with openpyxl is missing (.ci/run installs python3-openpyxl): a real
  // spreadsheet reader is the point; without one the workbook is still checked part by part above.
  it.skipIf(!OPENPYXL)('opens in openpyxl with bold headers, a frozen top row, filters and numeric cells', async () => {
    const { kiosk } = await kioskWithLog();
    const out = tempDir();
    const { files } = await exportLogs(kiosk.db, { ...options(out), format: 'xlsx' });
    kiosk.close();
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = {
        "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "bold": bool(ws["A1"].font.b),
        "rows": [[c.value for c in row] for row in ws.iter_rows()],
        "width": ws.column_dimensions["A"].width,
    }
print(json.dumps(out, default=str))
`;
    const run = spawnSync(OPENPYXL!, ['-c', script, files[0]!.path], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const book = JSON.parse(run.stdout) as Record<string, { freeze: string | null; filter: string | null; bold: boolean; rows: unknown[][]; width: number }>;
    expect(Object.keys(book)).toEqual(['summary', 'visits', 'events']);
    expect(book.events).toMatchObject({ freeze: 'A2', filter: 'A1:K9', bold: true });
    expect(book.events!.width).toBeGreaterThan(5);
    expect(book.events!.rows.slice(1).map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(book.events!.rows.find((r) => r[7] === 'first')![9]).toBe(TRICKY);
    expect(book.visits!.rows[1]![8]).toBe(35);
    expect(book.summary!.rows.find((r) => r[0] === 'Visits')![1]).toBe(2);
  });
});

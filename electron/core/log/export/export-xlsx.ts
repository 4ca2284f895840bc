import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isoUtc } from '../../clock';
import { sha256File } from '../../packs/pack-files';
import { fsyncDirectory } from './buffered-file';
import { CSV_HEADERS, iterateEvents, iterateVisits } from './export-csv';
import type { ExportContext } from './export-context';
import { createLocalTimeFormatter } from './local-time';
import { exportNameParts, type ExportedFile, type ExportLang, type ExportSelection } from './selection';
import { XLSX_MAX_ROWS, type SheetWriter } from './xlsx-sheet';
import { SUMMARY_COLUMNS, writeSummarySheet } from './xlsx-summary';
import { createWorkbook } from './xlsx-workbook';

const SHEET_NAMES = {
  'zh-CN': { summary: '汇总', visits: '参观', events: '事件', title: '参观记录' },
  en: { summary: 'summary', visits: 'visits', events: 'events', title: 'Visit log' },
} satisfies Record<ExportLang, Record<string, string>>;

// Widths in characters, fitted to what the columns hold (UUIDs, ISO times, local times with offset).
const VISIT_WIDTHS = [38, 22, 12, 8, 26, 28, 26, 12, 12].map((width) => ({ width }));
const EVENT_WIDTHS = [10, 38, 38, 26, 28, 14, 16, 20, 20, 20, 60].map((width) => ({ width }));

export interface XlsxExportOptions {
  /** Rows per worksheet, header included; Excel's limit unless a test wants to see the overflow sheets. */
  sheetRowLimit?: number;
}

/**
 * One workbook: a summary sheet (the one it opens on), the visits, and the events, continued on
 * "events (2)", "events (3)"… past Excel's 1,048,576 rows a sheet. The sheets are streamed into a staging
 * folder beside the output (same disk, so a full disk shows up here, not half-way through the zip) and
 * zipped by the deterministic pack writer, which fsyncs the file before renaming it into place.
 */
export async function writeXlsxExport(db: Database, selection: ExportSelection, context: ExportContext, options: XlsxExportOptions = {}): Promise<ExportedFile[]> {
  const limit = Math.min(options.sheetRowLimit ?? XLSX_MAX_ROWS, XLSX_MAX_ROWS);
  if (limit < 2) throw new Error('A sheet must hold a header and at least one row');
  const { seq, dates } = exportNameParts(selection, context.now);
  const outPath = join(context.outDir, `visit-log_${seq}_${dates}.xlsx`);
  const names = SHEET_NAMES[context.lang];
  const headers = CSV_HEADERS[context.lang];
  const rows = selection.visitRows + selection.eventRows;
  // Zipping (deflate level 9) takes about twice as long as writing the sheets: two thirds of the bar.
  const zipShare = rows * 2 + 1;
  const total = rows + zipShare;
  let done = 0;
  const tick = () => {
    done += 1;
    if ((done & 1023) === 0) context.onProgress?.(done, total);
  };

  const workbook = createWorkbook(join(context.outDir, `.${`visit-log_${seq}_${dates}`}.xlsx-staging-${process.pid}`), context.write);
  try {
    const summary = workbook.sheet(names.summary, { columns: SUMMARY_COLUMNS, table: false, selected: true });
    writeSummarySheet(summary, db, selection, context.lang, { now: context.now, appVersion: context.appVersion });

    const visits = workbook.sheet(names.visits, { columns: VISIT_WIDTHS, table: true, selected: false });
    visits.row(headers.visits, 'bold');
    const visitLocal = createLocalTimeFormatter();
    for (const v of iterateVisits(db, selection)) {
      if (visits.rows >= limit) throw new Error(`More than ${limit - 1} visits do not fit one sheet; export a shorter range of dates`);
      visits.row([v[0], v[1], v[2], v[3], v[4], visitLocal(v[4], v[5]), v[6], v[7], v[8] === null ? null : v[8] / 1000]);
      tick();
    }

    let part = 1;
    const eventSheet = (): SheetWriter => {
      const sheet = workbook.sheet(part === 1 ? names.events : `${names.events} (${part})`, { columns: EVENT_WIDTHS, table: true, selected: false });
      sheet.row(headers.events, 'bold');
      return sheet;
    };
    let events = eventSheet();
    const eventLocal = createLocalTimeFormatter();
    for (const e of iterateEvents(db, selection)) {
      if (events.rows >= limit) {
        events.finish();
        part += 1;
        events = eventSheet();
      }
      events.row([e[0], e[1], e[2], e[3], eventLocal(e[3], e[4]), e[5], e[6], e[7], e[8], e[9], e[10]]);
      tick();
    }

    await workbook.finish(outPath, { title: names.title, application: `Exhibit Kiosk ${context.appVersion}`, created: isoUtc(context.now) }, (zipped, zipTotal) =>
      context.onProgress?.(rows + Math.floor((zipped / Math.max(zipTotal, 1)) * zipShare), total),
    );
  } finally {
    workbook.dispose();
  }
  fsyncDirectory(context.outDir);
  context.onProgress?.(total, total);
  return [{ target: 'workbook', path: outPath, rows: selection.eventRows, bytes: statSync(outPath).size, sha256: await sha256File(outPath) }];
}

import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { createBufferedFile } from './buffered-file';
import { rowProgress, type ExportContext } from './export-context';
import { exportNameParts, type ExportedFile, type ExportSelection } from './selection';
import { toStatement, type XapiEventRow } from './xapi-statement';

type XapiTuple = [number, string, string, string, number, string, string | null, string | null, string | null, string, string, string, string];

/**
 * Writes the selection's events as xAPI statements, one JSON object per line (.jsonl), in seq order.
 * Visits need no lines of their own: visit.start and visit.end are events and become launched and
 * terminated (or abandoned) statements.
 */
export function writeXapiExport(db: Database, selection: ExportSelection, context: ExportContext): ExportedFile[] {
  const { seq, dates } = exportNameParts(selection, context.now);
  const path = join(context.outDir, `xapi_${seq}_${dates}.jsonl`);
  const kiosk = db.prepare('SELECT kiosk_id FROM kiosk').get() as { kiosk_id: string } | undefined;
  if (!kiosk) throw new Error('This visit log has no kiosk identity, which xAPI statements need for their actor');
  const statementContext = { kioskId: kiosk.kiosk_id, appVersion: context.appVersion };
  const progress = rowProgress(selection.eventRows, context.onProgress);
  const rows = db
    .prepare(
      `SELECT e.seq, e.event_id, e.visit_id, e.at, e.t_ms, e.type, e.exhibit_id, e.activity_id, e.item_id, e.data, v.pack_id, v.pack_version, v.locale
       FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${selection.events.where} ORDER BY e.seq`,
    )
    .raw(true)
    .iterate(selection.events.params) as IterableIterator<XapiTuple>;

  const file = createBufferedFile(path, { durable: true, ...(context.write ? { write: context.write } : {}) });
  let count = 0;
  try {
    for (const t of rows) {
      const row: XapiEventRow = {
        seq: t[0],
        eventId: t[1],
        visitId: t[2],
        at: t[3],
        tMs: t[4],
        type: t[5],
        exhibitId: t[6],
        activityId: t[7],
        itemId: t[8],
        data: t[9],
        packId: t[10],
        packVersion: t[11],
        locale: t[12],
      };
      file.append(JSON.stringify(toStatement(row, statementContext)) + '\n');
      count += 1;
      progress.tick();
    }
    const written = file.finish();
    progress.end();
    return [{ target: 'statements', rows: count, ...written }];
  } catch (error) {
    file.abort();
    throw error;
  }
}

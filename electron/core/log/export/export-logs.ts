import type { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import type { ExportResultView } from '../../../common/kiosk-api';
import { writeBundle } from '../bundle/write-bundle';
import type { WriteChunk } from './buffered-file';
import type { ExportContext } from './export-context';
import { writeCsvExport } from './export-csv';
import { writeXapiExport } from './export-xapi';
import { writeXlsxExport } from './export-xlsx';
import { recordExport, selectForExport, type ExportedFile, type ExportFormat, type ExportLang, type ExportRange } from './selection';

export interface ExportLogsOptions {
  format: ExportFormat;
  range: ExportRange;
  lang: ExportLang;
  outDir: string;
  /** Wall time of the export, recorded with it. */
  now: number;
  onProgress?: (done: number, total: number) => void;
  appVersion: string;
  /** Tests only: replaces the low-level write to play a disk that fills up. */
  write?: WriteChunk;
}

/**
 * The one entry point for file exports (admin screen and CLI). Each format writes its files completely
 * and fsyncs them; only then is the export recorded, which is what moves that format's since-last
 * watermark. A failure part-way (a full disk, a pulled USB stick) leaves no record and no half file, so
 * exporting again is always safe. An empty export still writes its files (headers only) and says so.
 */
export async function exportLogs(db: Database, options: ExportLogsOptions): Promise<ExportResultView> {
  if (options.format === 'bundle') {
    // The sync bundle picks its own range (it also carries the audit trail) and records itself.
    const { outDir, now, appVersion, range, onProgress } = options;
    const bundle = await writeBundle(db, { outDir, now, appVersion, range, ...(onProgress ? { onProgress } : {}) });
    return { files: [{ path: bundle.file, rows: bundle.rows, bytes: bundle.bytes, sha256: bundle.sha256 }], fromSeq: bundle.fromSeq, toSeq: bundle.toSeq };
  }
  const selection = selectForExport(db, options.format, options.range);
  mkdirSync(options.outDir, { recursive: true });
  const context: ExportContext = {
    outDir: options.outDir,
    lang: options.lang,
    now: options.now,
    appVersion: options.appVersion,
    onProgress: options.onProgress,
    write: options.write,
  };
  let files: ExportedFile[];
  switch (options.format) {
    case 'csv':
      files = writeCsvExport(db, selection, context);
      break;
    case 'xlsx':
      files = await writeXlsxExport(db, selection, context);
      break;
    case 'xapi':
      files = writeXapiExport(db, selection, context);
      break;
  }
  recordExport(db, options.format, selection, files, options.now);
  return {
    files: files.map(({ path, rows, bytes, sha256 }) => ({ path, rows, bytes, sha256 })),
    fromSeq: selection.fromSeq,
    toSeq: selection.toSeq,
  };
}

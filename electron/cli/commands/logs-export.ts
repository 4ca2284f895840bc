import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../core/clock';
import { exportLogs } from '../../core/log/export/export-logs';
import { isCalendarDate, type ExportRange } from '../../core/log/export/selection';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { appVersion } from '../app-files';
import { terminalProgress } from '../progress';
import { UsageError } from '../usage-error';
import { auditedCliExport, cliLang, openExistingLog, type CliLang } from './logs-common';
import { parseCliArgs } from '../parse-cli-args';

export const LOGS_EXPORT_USAGE = `  export --format csv|xlsx|xapi --out DIR [--since-last | --from DATE --to DATE]
                         write the visits and events as CSV, an Excel workbook or xAPI statements
                         (all of them unless a range is given; DATE is a local YYYY-MM-DD, both ends
                         included; --since-last: only what that format has not exported before)`;

const FORMATS = ['csv', 'xlsx', 'xapi'] as const;
type CliExportFormat = (typeof FORMATS)[number];

const TEXT = {
  'zh-CN': {
    wrote: (file: string, rows: number) => `已写入 ${file}（${rows} 行）`,
    empty: '没有可导出的新记录：文件只有表头。',
    exporting: '正在导出',
    rows: (done: number, total: number) => `${done.toLocaleString('en')}/${total.toLocaleString('en')} 行`,
    noFormat: 'logs export 需要 --format csv、xlsx 或 xapi',
    badFormat: (format: string) => `不支持 --format ${format}；请用 csv、xlsx 或 xapi`,
    noOut: 'logs export 需要 --out 文件夹',
    extra: 'logs export 除选项外不接受其他参数',
    bothRanges: 'logs export 只能用 --since-last 或 --from/--to 之一',
    halfRange: 'logs export 需要同时给出 --from 日期 和 --to 日期',
    badDate: '--from 和 --to 必须是 YYYY-MM-DD 格式的日期',
    reversed: (from: string, to: string) => `--from ${from} 晚于 --to ${to}`,
    notWritable: (dir: string, reason: string) => `无法写入文件夹 ${dir}（${reason}）。请换一个文件夹或检查权限；导出记录没有改变。`,
    diskFull: (dir: string) => `${dir} 所在的磁盘已满，导出未完成。未留下不完整的文件，“自上次导出以来”的位置也没有移动；腾出空间后再导出即可。`,
  },
  en: {
    wrote: (file: string, rows: number) => `Wrote ${file} (${rows} row${rows === 1 ? '' : 's'})`,
    empty: 'Nothing to export: the files hold only their headers.',
    exporting: 'Exporting',
    rows: (done: number, total: number) => `${done.toLocaleString('en')}/${total.toLocaleString('en')} rows`,
    noFormat: 'logs export needs --format csv, xlsx or xapi',
    badFormat: (format: string) => `--format ${format} is not supported; use csv, xlsx or xapi`,
    noOut: 'logs export needs --out DIR',
    extra: 'logs export takes no arguments besides its options',
    bothRanges: 'logs export takes either --since-last or --from/--to, not both',
    halfRange: 'logs export needs both --from DATE and --to DATE',
    badDate: '--from and --to must be dates as YYYY-MM-DD',
    reversed: (from: string, to: string) => `--from ${from} is after --to ${to}`,
    notWritable: (dir: string, reason: string) => `Cannot write to the folder ${dir} (${reason}). Choose another folder or check its permissions; nothing was recorded as exported.`,
    diskFull: (dir: string) => `The disk holding ${dir} is full, so the export did not finish. No partial file was left and the "since last export" mark did not move; free some space and export again.`,
  },
};
type Text = (typeof TEXT)[CliLang];

function parse(argv: string[]) {
  return parseCliArgs(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'since-last': { type: 'boolean', default: false },
  });
}
type Values = ReturnType<typeof parse>['values'];

function exportFormat(format: string | undefined, t: Text): CliExportFormat {
  if (format === undefined) throw new UsageError(t.noFormat);
  const known = FORMATS.find((f) => f === format);
  if (!known) throw new UsageError(t.badFormat(format));
  return known;
}

function exportRange(values: Values, t: Text): ExportRange {
  const ranged = values.from !== undefined || values.to !== undefined;
  if (values['since-last'] && ranged) throw new UsageError(t.bothRanges);
  if (values['since-last']) return { kind: 'since-last' };
  if (!ranged) return { kind: 'all' };
  const { from, to } = values;
  if (from === undefined || to === undefined) throw new UsageError(t.halfRange);
  if (!isCalendarDate(from) || !isCalendarDate(to)) throw new UsageError(t.badDate);
  if (from > to) throw new UsageError(t.reversed(from, to));
  return { kind: 'dates', from, to };
}

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Checked before the log is opened, so a read-only USB stick fails fast with its own message. */
function assertWritableFolder(dir: string, t: Text): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new Error(t.notWritable(dir, String(errorCode(error) ?? (error as Error).message)));
  }
}

/** The file system's failures in words staff can act on; anything else keeps its own message. */
export function describeExportFailure(error: unknown, outDir: string, lang: CliLang): Error {
  const t = TEXT[lang];
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new Error(t.diskFull(outDir));
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') return new Error(t.notWritable(outDir, String(code)));
  return error instanceof Error ? error : new Error(String(error));
}

export async function logsExportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  if (positionals.length > 0) throw new UsageError(t.extra);
  const format = exportFormat(values.format, t);
  if (!values.out) throw new UsageError(t.noOut);
  const range = exportRange(values, t);
  const outDir = resolve(values.out);
  const db = openExistingLog(dataPaths(values.data ?? defaultDataDir()).database, lang);
  // The workbook's bar also covers zipping, so it shows a percentage only.
  const progress = terminalProgress(process.stderr, format === 'xlsx' ? () => '' : t.rows);
  try {
    assertWritableFolder(outDir, t);
    const result = await auditedCliExport(db, { format, range, outDir }, () =>
      exportLogs(db, {
        format,
        range,
        lang,
        outDir,
        now: systemClock.now(),
        appVersion: appVersion(),
        onProgress: (done, total) => progress.update(t.exporting, done, total),
      }),
    ).catch((error: unknown) => {
      throw describeExportFailure(error, outDir, lang);
    });
    progress.done();
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      for (const file of result.files) console.log(t.wrote(file.path, file.rows));
      if (result.files.every((file) => file.rows === 0)) console.log(t.empty);
    }
    return 0;
  } finally {
    progress.done();
    db.close();
  }
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock';
import { exportCsv, isCalendarDate, type ExportLang, type ExportRange } from '../../core/log/export/export-csv';
import { openLogDatabase } from '../../core/log/open-database';
import { verifyChain } from '../../core/log/verify-chain';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { defaultCliLang } from '../cli-lang';
import { UsageError } from '../usage-error';

export const LOGS_USAGE = `kiosk logs <command> [options]
  export --format csv --out DIR [--since-last | --from DATE --to DATE]
                         write the visits and events as CSV (all of them unless a range is given;
                         DATE is a local YYYY-MM-DD, both ends included)
  verify [DB_PATH]       walk the event hash chain; exit 0 intact, 1 broken
Options: --data DIR (default ${defaultDataDir()}), --lang zh-CN|en, --json`;

const OPTIONS = {
  data: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
  format: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'since-last': { type: 'boolean', default: false },
} as const;


const TEXT = {
  'zh-CN': {
    wrote: (file: string, rows: number) => `已写入 ${file}（${rows} 行）`,
    intact: (n: number) => `✓ ${n} 条事件，哈希链完整`,
    broken: (seq: number, reason: string) => `✗ 哈希链在序号 ${seq} 处断开：${reason}`,
    noLog: (file: string) => `找不到访问日志 ${file}`,
  },
  en: {
    wrote: (file: string, rows: number) => `Wrote ${file} (${rows} row${rows === 1 ? '' : 's'})`,
    intact: (n: number) => `✓ ${n} events, chain intact`,
    broken: (seq: number, reason: string) => `✗ The chain is broken at seq ${seq}: ${reason}`,
    noLog: (file: string) => `There is no visit log at ${file}`,
  },
};

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function exportRange(values: Values): ExportRange {
  const ranged = values.from !== undefined || values.to !== undefined;
  if (values['since-last'] && ranged) throw new UsageError('logs export takes either --since-last or --from/--to, not both');
  if (values['since-last']) return { kind: 'since-last' };
  if (!ranged) return { kind: 'all' };
  const { from, to } = values;
  if (from === undefined || to === undefined) throw new UsageError('logs export needs both --from DATE and --to DATE');
  if (!isCalendarDate(from) || !isCalendarDate(to)) throw new UsageError('--from and --to must be dates as YYYY-MM-DD');
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { kind: 'dates', from, to };
}

/** Opens the log through the same path as the kiosk (migrations included), refusing to invent an empty one. */
function openExistingLog(file: string, lang: ExportLang) {
  if (!existsSync(file)) throw new Error(TEXT[lang].noLog(file));
  return openLogDatabase({ file, clock: systemClock }).db;
}

export async function logsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [sub, ...args] = positionals;
  if (values.lang && values.lang !== 'zh-CN' && values.lang !== 'en') throw new UsageError(`--lang must be zh-CN or en, not ${values.lang}`);
  const lang: ExportLang = (values.lang as ExportLang | undefined) ?? defaultCliLang();
  const t = TEXT[lang];
  const database = dataPaths(values.data ?? defaultDataDir()).database;

  switch (sub) {
    case 'export': {
      if (args.length > 0) throw new UsageError('logs export takes no arguments besides its options');
      if (values.format !== 'csv') throw new UsageError(values.format ? `--format ${values.format} is not supported; use --format csv` : 'logs export needs --format csv');
      if (!values.out) throw new UsageError('logs export needs --out DIR');
      const range = exportRange(values);
      const db = openExistingLog(database, lang);
      try {
        const result = await exportCsv(db, { outDir: resolve(values.out), lang, range, now: systemClock.now() });
        if (values.json) console.log(JSON.stringify(result, null, 2));
        else for (const file of result.files) console.log(t.wrote(file.path, file.rows));
        return 0;
      } finally {
        db.close();
      }
    }
    case 'verify': {
      if (args.length > 1) throw new UsageError('logs verify takes at most one DB_PATH');
      const db = openExistingLog(args[0] ? resolve(args[0]) : database, lang);
      try {
        const verdict = verifyChain(db);
        if (values.json) console.log(JSON.stringify(verdict, null, 2));
        else console.log(verdict.ok ? t.intact(verdict.events) : t.broken(verdict.brokenAtSeq, verdict.reason));
        return verdict.ok ? 0 : 1;
      } finally {
        db.close();
      }
    }
    default:
      throw new UsageError(sub ? `Unknown logs command "${sub}"` : 'logs needs a command');
  }
}

import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../core/clock';
import { writeBundle } from '../../core/log/bundle/write-bundle';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { appVersion } from '../app-files';
import { rowCount, terminalProgress } from '../progress';
import { UsageError } from '../usage-error';
import { auditedCliExport, cliLang, openExistingLog } from './logs-common';
import { describeExportFailure } from './logs-export';
import { parseCliArgs } from '../parse-cli-args';

export const LOGS_BUNDLE_USAGE = `  bundle --out DIR [--all]
                         write a signed sync bundle <kiosk>_<from>-<to>.kbundle of everything since the
                         last bundle (--all: everything again; merging it twice is harmless)`;

const TEXT = {
  'zh-CN': {
    wrote: (file: string, events: number, from: number, to: number) =>
      events > 0 ? `已写入同步包 ${file}（${events} 条事件，序号 ${from}–${to}）` : `已写入同步包 ${file}`,
    nothingNew: (from: number) => `自上次同步包以来没有新事件：这是一个空的同步包，证明到序号 ${from - 1} 为止没有遗漏。`,
    bundling: '正在生成同步包',
    noOut: 'logs bundle 需要 --out 文件夹',
    extra: 'logs bundle 除选项外不接受其他参数',
    notWritable: (dir: string, reason: string) => `无法写入文件夹 ${dir}（${reason}）。请换一个文件夹或检查权限；同步记录没有改变。`,
  },
  en: {
    wrote: (file: string, events: number, from: number, to: number) =>
      events > 0 ? `Wrote the sync bundle ${file} (${events} event${events === 1 ? '' : 's'}, seq ${from}–${to})` : `Wrote the sync bundle ${file}`,
    nothingNew: (from: number) => `No new events since the last bundle: this bundle is empty, a signed record that nothing after seq ${from - 1} was left out.`,
    bundling: 'Bundling',
    noOut: 'logs bundle needs --out DIR',
    extra: 'logs bundle takes no arguments besides its options',
    notWritable: (dir: string, reason: string) => `Cannot write to the folder ${dir} (${reason}). Choose another folder or check its permissions; nothing was recorded as sent.`,
  },
};

function parse(argv: string[]) {
  return parseCliArgs(argv, {
    out: { type: 'string' },
    all: { type: 'boolean', default: false },
  });
}

/** `kiosk logs bundle`: the signed, incremental sync bundle an official merges into a fleet database. */
export async function logsBundleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  if (positionals.length > 0) throw new UsageError(t.extra);
  if (!values.out) throw new UsageError(t.noOut);
  const outDir = resolve(values.out);
  const db = openExistingLog(dataPaths(values.data ?? defaultDataDir()).database, lang);
  const progress = terminalProgress(process.stderr, rowCount);
  try {
    try {
      mkdirSync(outDir, { recursive: true });
      accessSync(outDir, constants.W_OK);
    } catch (error) {
      throw new Error(t.notWritable(outDir, String((error as { code?: unknown }).code ?? (error as Error).message)));
    }
    const range = { kind: values.all ? ('all' as const) : ('since-last' as const) };
    const result = await auditedCliExport(db, { format: 'bundle', range, outDir }, async () => {
      const written = await writeBundle(db, {
        outDir,
        now: systemClock.now(),
        appVersion: appVersion(),
        range,
        onProgress: (done, total) => progress.update(t.bundling, done, total),
      });
      return { ...written, files: [{ path: written.file, rows: written.rows, sha256: written.sha256 }] };
    }).catch((error: unknown) => {
      throw describeExportFailure(error, outDir, lang);
    });
    progress.done();
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(t.wrote(result.file, result.rows, result.fromSeq, result.toSeq));
      if (result.rows === 0) console.log(t.nothingNew(result.fromSeq));
    }
    return 0;
  } finally {
    progress.done();
    db.close();
  }
}

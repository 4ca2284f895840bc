import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPack } from '../../core/packs/build-pack';
import { checkPackAt } from '../../core/packs/check-pack-at';
import { packJsonSchemaText } from '../../core/packs/pack-json-schema';
import { PackInstallError } from '../../core/packs/pack-install-error';
import { createPackStore } from '../../core/packs/pack-store';
import { scaffoldPack } from '../../core/packs/scaffold-pack';
import { formatIssue, issueMessage, type MessageLang } from '../../core/packs/validate/messages';
import type { ValidationReport } from '../../core/packs/validate/validate-pack';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { writeFileAtomic } from '../../core/write-file-atomic';
import { appVersion } from '../app-files';
import { terminalProgress } from '../progress';
import { defaultCliLang } from '../cli-lang';
import { UsageError } from '../usage-error';

export const PACK_USAGE = `kiosk pack <command> [options]
  validate PATH          check a pack folder or .kpack; exit 0 valid, 1 invalid
  build DIR [--out DIR]  write the file hashes into pack.json and a reproducible <id>-<version>.kpack
  install PATH           install a folder or .kpack into the data folder and make it live (--no-activate: don't)
  list                   installed packs; * marks the live one, < the one rollback returns to
  activate ID VERSION    make an installed version live
  rollback               go back to the version that was live before
  new DIR [--id ID] [--title T]  start a new pack from a valid template
  schema [--out FILE]    print or write the JSON Schema of pack.json
Options: --data DIR (default ${defaultDataDir()}), --lang zh-CN|en, --json`;

const OPTIONS = {
  data: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
  out: { type: 'string' },
  id: { type: 'string' },
  title: { type: 'string' },
  'no-activate': { type: 'boolean', default: false },
} as const;


const TEXT = {
  'zh-CN': {
    valid: (w: number) => `✓ 内容包有效${w ? `（${w} 条提醒）` : ''}`,
    invalid: (e: number, w: number) => `✗ 内容包无效：${e} 个错误，${w} 条提醒`,
    errors: '错误（必须修正）：',
    warnings: '提醒（不影响使用）：',
    built: (f: string) => `已生成 ${f}`,
    installed: (id: string, v: string, live: boolean) => `已安装 ${id} ${v}${live ? '，现已启用' : '（未启用）'}`,
    activated: (id: string, v: string) => `已启用 ${id} ${v}`,
    created: (f: string) => `已创建 ${f}：用编辑器修改，然后运行 kiosk pack validate`,
    none: '尚未安装任何内容包',
    hashing: '计算校验值',
    copying: '复制文件',
    verifying: '校验文件',
    zipping: '打包',
  },
  en: {
    valid: (w: number) => `✓ The pack is valid${w ? ` (${w} warning${w > 1 ? 's' : ''})` : ''}`,
    invalid: (e: number, w: number) => `✗ The pack is not valid: ${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`,
    errors: 'Errors (must be fixed):',
    warnings: 'Warnings (do not block):',
    built: (f: string) => `Wrote ${f}`,
    installed: (id: string, v: string, live: boolean) => `Installed ${id} ${v}${live ? ', now live' : ' (not live)'}`,
    activated: (id: string, v: string) => `${id} ${v} is now live`,
    created: (f: string) => `Created ${f}: edit it, then run kiosk pack validate`,
    none: 'No pack is installed yet',
    hashing: 'Hashing',
    copying: 'Copying',
    verifying: 'Verifying',
    zipping: 'Zipping',
  },
};

function reportJson(report: ValidationReport, lang: MessageLang) {
  const view = (i: ValidationReport['errors'][number]) => ({ code: i.code, where: i.where, line: i.line, message: issueMessage(i, lang) });
  return { ok: report.ok, id: report.manifest?.id, version: report.manifest?.version, errors: report.errors.map(view), warnings: report.warnings.map(view) };
}

function printReport(report: ValidationReport, lang: MessageLang, json: boolean): void {
  if (json) return void console.log(JSON.stringify(reportJson(report, lang), null, 2));
  const t = TEXT[lang];
  console.log(report.ok ? t.valid(report.warnings.length) : t.invalid(report.errors.length, report.warnings.length));
  if (report.errors.length) console.log(`\n${t.errors}\n${report.errors.map((i) => `  ${formatIssue(i, lang)}`).join('\n')}`);
  if (report.warnings.length) console.log(`\n${t.warnings}\n${report.warnings.map((i) => `  ${formatIssue(i, lang)}`).join('\n')}`);
}

async function validatePath(path: string, lang: MessageLang): Promise<ValidationReport> {
  const progress = terminalProgress();
  const t = TEXT[lang];
  try {
    return await checkPackAt(path, { appVersion: appVersion(), onProgress: (phase, d, n) => progress.update(phase === 'copy' ? t.copying : t.verifying, d, n) });
  } finally {
    progress.done();
  }
}

export async function packCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  if (values.lang && values.lang !== 'zh-CN' && values.lang !== 'en') throw new UsageError(`--lang must be zh-CN or en, not ${values.lang}`);
  const lang: MessageLang = (values.lang as MessageLang | undefined) ?? defaultCliLang();
  const t = TEXT[lang];
  const store = () => createPackStore(dataPaths(values.data ?? defaultDataDir()).packs);
  const needArgs = (n: number, what: string) => {
    if (args.length !== n) throw new UsageError(`pack ${sub} needs ${what}`);
  };

  switch (sub) {
    case 'validate': {
      needArgs(1, 'a folder or .kpack');
      const report = await validatePath(resolve(args[0]!), lang);
      printReport(report, lang, values.json);
      return report.ok ? 0 : 1;
    }
    case 'build': {
      needArgs(1, 'a pack folder');
      const dir = resolve(args[0]!);
      const progress = terminalProgress();
      const result = await buildPack(dir, {
        appVersion: appVersion(),
        outDir: resolve(values.out ?? dirname(dir)),
        onProgress: (phase, d, n) => progress.update(phase === 'hash' ? t.hashing : t.zipping, d, n),
      });
      progress.done();
      printReport(result.report, lang, values.json);
      if (result.kpack && !values.json) console.log(t.built(result.kpack));
      return result.kpack ? 0 : 1;
    }
    case 'install': {
      needArgs(1, 'a folder or .kpack');
      const progress = terminalProgress();
      try {
        const { pack, report } = await store().install(resolve(args[0]!), {
          appVersion: appVersion(),
          activate: !values['no-activate'],
          onProgress: (phase, d, n) => progress.update(phase === 'copy' ? t.copying : t.verifying, d, n),
        });
        progress.done();
        printReport(report, lang, values.json);
        if (!values.json) console.log(t.installed(pack.id, pack.version, !values['no-activate']));
        return 0;
      } catch (error) {
        progress.done();
        if (!(error instanceof PackInstallError)) throw error;
        printReport(error.report, lang, values.json);
        return 1;
      }
    }
    case 'list': {
      needArgs(0, 'no arguments');
      const list = store().list();
      if (values.json) console.log(JSON.stringify(list, null, 2));
      else if (list.length === 0) console.log(t.none);
      else for (const p of list) console.log(`${p.active ? '*' : p.previous ? '<' : ' '} ${p.id} ${p.version}  ${p.title[lang] ?? ''}  (${p.installedAt})`);
      return 0;
    }
    case 'activate': {
      const [id, version] = args.length === 1 ? (args[0]!.split('@') as [string, string?]) : args;
      if (!id || !version || args.length > 2) throw new UsageError('pack activate needs ID VERSION (or ID@VERSION)');
      const pack = store().activate(id, version);
      console.log(t.activated(pack.id, pack.version));
      return 0;
    }
    case 'rollback': {
      needArgs(0, 'no arguments');
      const pack = store().rollback();
      console.log(t.activated(pack.id, pack.version));
      return 0;
    }
    case 'new': {
      needArgs(1, 'the folder to create');
      console.log(t.created(scaffoldPack(resolve(args[0]!), { id: values.id, title: values.title })));
      return 0;
    }
    case 'schema': {
      needArgs(0, 'no arguments');
      if (values.out) writeFileAtomic(resolve(values.out), packJsonSchemaText());
      else process.stdout.write(packJsonSchemaText());
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown pack command "${sub}"` : 'pack needs a command');
  }
}

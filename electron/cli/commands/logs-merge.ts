import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock';
import type { SeqRange } from '../../core/log/fleet/fleet-gaps';
import { describeMergeProblem, mergeBundles, type MergeOutcome, type MergeReport } from '../../core/log/fleet/merge-bundle';
import { FleetOpenError, fleetOpenText, openFleetDatabase } from '../../core/log/fleet/open-fleet';
import { UsageError } from '../usage-error';
import { cliLang, type CliLang } from './logs-common';

export const LOGS_MERGE_USAGE = `  merge BUNDLE... --into FLEET_DB
                         verify sync bundles and add them to a fleet database (created if missing);
                         a bad bundle is refused whole, merging one twice adds nothing; reports seq gaps`;

const ranges = (list: SeqRange[]) => list.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');

const TEXT = {
  'zh-CN': {
    merged: (file: string, inserted: number, duplicates: number) => `✓ ${file}：新增 ${inserted} 条事件，${duplicates} 条已有`,
    already: (file: string) => `= ${file}：已合并过，新增 0 条`,
    refused: (file: string) => `✗ ${file}：已拒绝，未导入任何数据`,
    kiosk: (name: string, events: number) => `展台 ${name}：共 ${events} 条事件`,
    gaps: (list: SeqRange[]) => `  缺少序号 ${ranges(list)}（对应的同步包尚未合并）`,
    noGaps: '  序号连续，没有缺口',
    summary: (ok: number, refused: number) => `合并了 ${ok} 个同步包${refused ? `，拒绝了 ${refused} 个` : ''}`,
    noBundles: 'logs merge 需要至少一个 .kbundle 文件',
    noInto: 'logs merge 需要 --into 汇总数据库文件',
  },
  en: {
    merged: (file: string, inserted: number, duplicates: number) => `✓ ${file}: ${inserted} new event${inserted === 1 ? '' : 's'}, ${duplicates} already held`,
    already: (file: string) => `= ${file}: already merged, 0 new`,
    refused: (file: string) => `✗ ${file}: refused; nothing was imported from it`,
    kiosk: (name: string, events: number) => `Kiosk ${name}: ${events} event${events === 1 ? '' : 's'}`,
    gaps: (list: SeqRange[]) => `  missing seq ${ranges(list)} (their bundles have not been merged)`,
    noGaps: '  no gaps in the seq',
    summary: (ok: number, refused: number) => `Merged ${ok} bundle${ok === 1 ? '' : 's'}${refused ? `, refused ${refused}` : ''}`,
    noBundles: 'logs merge needs at least one .kbundle file',
    noInto: 'logs merge needs --into FLEET_DB',
  },
};

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { lang: { type: 'string' }, json: { type: 'boolean', default: false }, into: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function printOutcome(outcome: MergeOutcome, lang: CliLang): void {
  const t = TEXT[lang];
  if (outcome.status === 'merged') console.log(t.merged(outcome.file, outcome.inserted, outcome.duplicates));
  else if (outcome.status === 'already-merged') console.log(t.already(outcome.file));
  else {
    console.log(t.refused(outcome.file));
    for (const problem of outcome.problems) console.log(`  - ${describeMergeProblem(problem, lang)}`);
  }
}

function printHoldings(report: MergeReport, lang: CliLang): void {
  const t = TEXT[lang];
  for (const kiosk of report.kiosks) {
    const name = [kiosk.label, kiosk.location].filter(Boolean).join(' · ');
    console.log(t.kiosk(name ? `${name} (${kiosk.kioskId})` : kiosk.kioskId, kiosk.events));
    console.log(kiosk.missing.length > 0 ? t.gaps(kiosk.missing) : t.noGaps);
  }
}

/**
 * `kiosk logs merge`: exit 0 when every bundle went in (or was already in), 1 when any was refused —
 * the good ones are merged all the same, so a script can retry just the refused files.
 */
export async function logsMergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  if (positionals.length === 0) throw new UsageError(t.noBundles);
  if (!values.into) throw new UsageError(t.noInto);
  const into = resolve(values.into);
  let db;
  try {
    db = openFleetDatabase(into, { create: true });
  } catch (error) {
    if (error instanceof FleetOpenError) throw new Error(fleetOpenText(error.problem, error.file, lang, error.detail));
    throw error;
  }
  try {
    const report = await mergeBundles(
      db,
      positionals.map((file) => resolve(file)),
      { now: systemClock.now(), onBundle: values.json ? undefined : (outcome) => printOutcome(outcome, lang) },
    );
    const refused = report.bundles.filter((b) => b.status === 'refused').length;
    if (values.json) {
      const bundles = report.bundles.map((b) =>
        b.status === 'refused' ? { ...b, problems: b.problems.map((p) => ({ ...p, message: describeMergeProblem(p, lang) })) } : b,
      );
      console.log(JSON.stringify({ ...report, bundles }, null, 2));
    }
    else {
      printHoldings(report, lang);
      console.log(t.summary(report.bundles.length - refused, refused));
    }
    return refused > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLE_EXTENSION } from '../../core/log/bundle/bundle-format';
import { describeBundleProblem } from '../../core/log/bundle/bundle-problems';
import { verifyBundle } from '../../core/log/bundle/verify-bundle';
import type { SeqRange } from '../../core/log/fleet/fleet-gaps';
import { verifyFleet } from '../../core/log/fleet/verify-fleet';
import { detectLogKind, type LogKind } from '../../core/log/report/report-source';
import { verifyChain } from '../../core/log/verify-chain';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { UsageError } from '../usage-error';
import { cliLang, type CliLang } from './logs-common';
import { parseCliArgs } from '../parse-cli-args';

export const LOGS_VERIFY_USAGE = `  verify [PATH]          check a visit log's hash chain (default: this kiosk's), a .kbundle (zip safety,
                         file hashes, signature, chain, counts) or a fleet database (each kiosk's chain
                         and seq gaps); exit 0 intact, 1 problems found`;

const ranges = (list: SeqRange[]) => list.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');

const TEXT = {
  'zh-CN': {
    intact: (n: number) => `✓ ${n} 条事件，哈希链完整`,
    broken: (seq: number, reason: string) => `✗ 哈希链在序号 ${seq} 处断开：${reason}`,
    bundleOk: (kiosk: string, events: number, from: number, to: number) =>
      `✓ 同步包完好：展台 ${kiosk}，${events} 条事件${events > 0 ? `（序号 ${from}–${to}）` : ''}，签名、文件校验值、哈希链和数量都正确`,
    bundleBad: (n: number) => `✗ 同步包有 ${n} 处问题：`,
    fleetKiosk: (name: string, events: number) => `展台 ${name}：${events} 条事件`,
    fleetIntact: '  哈希链完整',
    fleetBroken: (seq: number) => `  ✗ 哈希链在序号 ${seq} 处断开：该事件或之前的事件被改动过`,
    fleetGaps: (list: SeqRange[]) => `  缺少序号 ${ranges(list)}`,
    fleetOk: (n: number) => `✓ 汇总数据库中 ${n} 台展台的哈希链都完整`,
    fleetBad: '✗ 汇总数据库中有哈希链断开',
    missing: (file: string) => `找不到文件 ${file}`,
    notALog: (file: string) => `${file} 不是访问日志、汇总数据库或同步包（文件无法作为其中任何一种读取），未做任何改动`,
    extra: 'logs verify 最多接受一个路径',
  },
  en: {
    intact: (n: number) => `✓ ${n} events, chain intact`,
    broken: (seq: number, reason: string) => `✗ The chain is broken at seq ${seq}: ${reason}`,
    bundleOk: (kiosk: string, events: number, from: number, to: number) =>
      `✓ The bundle is intact: kiosk ${kiosk}, ${events} event${events === 1 ? '' : 's'}${events > 0 ? ` (seq ${from}–${to})` : ''}; signature, file hashes, chain and counts all check out`,
    bundleBad: (n: number) => `✗ The bundle has ${n} problem${n === 1 ? '' : 's'}:`,
    fleetKiosk: (name: string, events: number) => `Kiosk ${name}: ${events} event${events === 1 ? '' : 's'}`,
    fleetIntact: '  chain intact',
    fleetBroken: (seq: number) => `  ✗ the chain is broken at seq ${seq}: that event or the one before it was changed`,
    fleetGaps: (list: SeqRange[]) => `  missing seq ${ranges(list)}`,
    fleetOk: (n: number) => `✓ ${n} kiosk${n === 1 ? '' : 's'} in the fleet database, every chain intact`,
    fleetBad: '✗ The fleet database has a broken chain',
    missing: (file: string) => `There is no file at ${file}`,
    notALog: (file: string) => `${file} is not a visit log, a fleet database or a sync bundle (it cannot be read as any of them); it was left as it is`,
    extra: 'logs verify takes at most one PATH',
  },
};

function parse(argv: string[]) {
  return parseCliArgs(argv, {});
}

/** A zip starts with a local header ('PK\x03\x04') or, when empty, an end record ('PK\x05\x06'). */
function looksLikeZip(file: string): boolean {
  if (!statSync(file).isFile()) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  } finally {
    closeSync(fd);
  }
}

async function verifyBundleAt(file: string, lang: CliLang, json: boolean): Promise<number> {
  const t = TEXT[lang];
  const verdict = await verifyBundle(file);
  if (json) {
    const problems = verdict.problems.map((problem) => ({ ...problem, message: describeBundleProblem(problem, lang) }));
    console.log(JSON.stringify({ kind: 'bundle', ok: verdict.ok, sha256: verdict.sha256, manifest: verdict.manifest, problems }, null, 2));
  } else if (verdict.ok && verdict.manifest) {
    const { kiosk, seq, counts } = verdict.manifest;
    console.log(t.bundleOk(kiosk.label || kiosk.id, counts.events, seq.from, seq.to));
  } else {
    console.log(t.bundleBad(verdict.problems.length));
    for (const problem of verdict.problems) console.log(`  - ${describeBundleProblem(problem, lang)}`);
  }
  return verdict.ok ? 0 : 1;
}

/**
 * Opens a database to verify read-only: a verifier must never change what it checks (no migration, no
 * corrupt file moved aside the way the kiosk does at start), and a file that is no log is said to be so.
 */
function openForVerify(file: string, lang: CliLang): { db: Database.Database; kind: LogKind } {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const kind = detectLogKind(db);
    if (kind) return { db, kind };
  } catch {
    // Not SQLite at all, or unreadable: the same answer as a database of some other program.
  }
  db?.close();
  throw new Error(TEXT[lang].notALog(file));
}

function verifyFleetAt(db: Database.Database, lang: CliLang, json: boolean): number {
  const t = TEXT[lang];
  const verdict = verifyFleet(db);
  if (json) console.log(JSON.stringify({ kind: 'fleet', ...verdict }, null, 2));
  else {
    for (const kiosk of verdict.kiosks) {
      console.log(t.fleetKiosk(kiosk.label ? `${kiosk.label} (${kiosk.kioskId})` : kiosk.kioskId, kiosk.events));
      console.log(kiosk.brokenAtSeq === null ? t.fleetIntact : t.fleetBroken(kiosk.brokenAtSeq));
      if (kiosk.missing.length > 0) console.log(t.fleetGaps(kiosk.missing));
    }
    console.log(verdict.ok ? t.fleetOk(verdict.kiosks.length) : t.fleetBad);
  }
  return verdict.ok ? 0 : 1;
}

function verifyLogAt(db: Database.Database, lang: CliLang, json: boolean): number {
  const t = TEXT[lang];
  const verdict = verifyChain(db);
  if (json) console.log(JSON.stringify(verdict, null, 2));
  else console.log(verdict.ok ? t.intact(verdict.events) : t.broken(verdict.brokenAtSeq, verdict.reason));
  return verdict.ok ? 0 : 1;
}

/**
 * `kiosk logs verify [PATH]`: what is checked depends on what the file is — told by its content, not
 * only its name, so a fleet database is never opened (and migrated) as if it were a kiosk's log.
 */
export async function logsVerifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  if (positionals.length > 1) throw new UsageError(t.extra);
  const file = positionals[0] ? resolve(positionals[0]) : dataPaths(values.data ?? defaultDataDir()).database;
  if (!existsSync(file)) throw new Error(t.missing(file));
  if (file.toLowerCase().endsWith(BUNDLE_EXTENSION) || looksLikeZip(file)) return verifyBundleAt(file, lang, values.json);
  const { db, kind } = openForVerify(file, lang);
  try {
    return kind === 'fleet' ? verifyFleetAt(db, lang, values.json) : verifyLogAt(db, lang, values.json);
  } finally {
    db.close();
  }
}

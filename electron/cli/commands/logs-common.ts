import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { basename } from 'node:path';
import { systemClock } from '../../core/clock';
import { createAuditLog } from '../../core/log/audit-log';
import { openLogDatabase } from '../../core/log/open-database';
import { defaultCliLang } from '../cli-lang';
import { UsageError } from '../usage-error';

/** What every `kiosk logs` subcommand shares: its language and the way it opens the log. */
export type CliLang = 'zh-CN' | 'en';

/** --lang if given (zh-CN or en), else the terminal's locale. */
export function cliLang(value: string | undefined): CliLang {
  if (value === undefined) return defaultCliLang();
  if (value !== 'zh-CN' && value !== 'en') throw new UsageError(`--lang must be zh-CN or en, not ${value}`);
  return value;
}

const NO_LOG = {
  'zh-CN': (file: string) => `找不到访问日志 ${file}`,
  en: (file: string) => `There is no visit log at ${file}`,
};

/** Opens the log through the same path as the kiosk (migrations included), refusing to invent an empty one. */
export function openExistingLog(file: string, lang: CliLang) {
  if (!existsSync(file)) throw new Error(NO_LOG[lang](file));
  return openLogDatabase({ file, clock: systemClock }).db;
}

/**
 * Runs an export from the command line and audits it as the admin screen's exports are (actor 'cli'),
 * failures included, so the kiosk's audit trail shows every file that left it, however it was made.
 */
export async function auditedCliExport<T extends { files: { path: string; rows: number; sha256: string }[] }>(
  db: Database,
  detail: Record<string, unknown>,
  work: () => Promise<T>,
): Promise<T> {
  const audit = createAuditLog(db, systemClock);
  try {
    const result = await work();
    const files = result.files.map((f) => ({ name: basename(f.path), rows: f.rows, sha256: f.sha256 }));
    audit.record({ actor: 'cli', action: 'export.write', detail: { ...detail, files } });
    return result;
  } catch (error) {
    try {
      audit.record({ actor: 'cli', action: 'export.write', ok: false, detail: { ...detail, message: (error as Error).message } });
    } catch {
      // The disk may be what failed the export; the error below is what the user needs to see.
    }
    throw error;
  }
}

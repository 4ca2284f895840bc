import { existsSync } from 'node:fs';
import { systemClock } from '../../core/clock';
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

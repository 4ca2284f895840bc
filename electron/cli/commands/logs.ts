import { defaultDataDir } from '../../core/paths';
import { UsageError } from '../usage-error';
import { logsBundleCommand, LOGS_BUNDLE_USAGE } from './logs-bundle';
import { logsExportCommand, LOGS_EXPORT_USAGE } from './logs-export';
import { logsMergeCommand, LOGS_MERGE_USAGE } from './logs-merge';
import { logsReportCommand, LOGS_REPORT_USAGE } from './logs-report';
import { logsVerifyCommand, LOGS_VERIFY_USAGE } from './logs-verify';

export const LOGS_USAGE = `kiosk logs <command> [options]
${LOGS_EXPORT_USAGE}
${LOGS_BUNDLE_USAGE}
${LOGS_VERIFY_USAGE}
${LOGS_MERGE_USAGE}
${LOGS_REPORT_USAGE}
Options: --data DIR (default ${defaultDataDir()}), --lang zh-CN|en, --json`;

/** `kiosk logs <command>`: each command lives in its own file and parses its own options. */
const LOGS_COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  export: logsExportCommand,
  bundle: logsBundleCommand,
  verify: logsVerifyCommand,
  merge: logsMergeCommand,
  report: logsReportCommand,
};

export async function logsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const command = sub !== undefined && Object.hasOwn(LOGS_COMMANDS, sub) ? LOGS_COMMANDS[sub] : undefined;
  if (!command) throw new UsageError(sub && !sub.startsWith('-') ? `Unknown logs command "${sub}"` : 'logs needs a command');
  return command(rest);
}

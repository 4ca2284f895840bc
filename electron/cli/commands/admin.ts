import { PIN_PATTERN, setAdminPin } from '../../core/admin/admin-pin';
import { systemClock } from '../../core/clock';
import { createAuditLog } from '../../core/log/audit-log';
import { openLogDatabase } from '../../core/log/open-database';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { UsageError } from '../usage-error';
import { cliLang, openExistingLog } from './logs-common';
import { parseCliArgs } from '../parse-cli-args';

export const ADMIN_USAGE = `kiosk admin <command> [options]
  set-pin [--pin-stdin]  set or reset the staff PIN (4 to 12 digits); asks twice without showing it,
                         or reads one line from stdin with --pin-stdin (for scripts)
  audit [--limit N] [--json]
                         the newest audit entries: admin actions, recoveries, clock jumps
Options: --data DIR (default ${defaultDataDir()}), --lang zh-CN|en`;

const TEXT = {
  'zh-CN': {
    ask: '新的管理员 PIN（4 到 12 位数字）：',
    repeat: '再输入一次：',
    mismatch: '两次输入的 PIN 不一致，PIN 没有改变。',
    invalid: 'PIN 必须是 4 到 12 位数字，PIN 没有改变。',
    noInput: '没有读到 PIN：标准输入为空。',
    cancelled: '已取消，PIN 没有改变。',
    notTty: '这里无法不回显地询问 PIN（标准输入不是终端）。请用 --pin-stdin 从标准输入传入一行。',
    done: (dir: string) => `✓ 已设置管理员 PIN（数据文件夹 ${dir}）。正在运行的展台上已打开的管理会话都已结束。`,
    limit: '--limit 必须是 1 到 500 之间的整数',
    empty: '审计记录为空。',
  },
  en: {
    ask: 'New staff PIN (4 to 12 digits): ',
    repeat: 'Repeat it: ',
    mismatch: 'The two PINs differ; the PIN was not changed.',
    invalid: 'A PIN is 4 to 12 digits; the PIN was not changed.',
    noInput: 'No PIN was read: stdin was empty.',
    cancelled: 'Cancelled; the PIN was not changed.',
    notTty: 'Cannot ask for the PIN without echo here (stdin is not a terminal). Pass it as one line on stdin with --pin-stdin.',
    done: (dir: string) => `✓ The staff PIN is set (data folder ${dir}). Admin sessions open on a running kiosk have ended.`,
    limit: '--limit must be a whole number from 1 to 500',
    empty: 'The audit trail is empty.',
  },
};
type Text = (typeof TEXT)['en'];

function parse(argv: string[]) {
  return parseCliArgs(argv, {
    limit: { type: 'string' },
    'pin-stdin': { type: 'boolean', default: false },
  });
}

/** One line from stdin (a pipe or a file), without its line ending; null when stdin ends empty. */
async function readLine(): Promise<string | null> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  }
  return text === '' ? null : text.replace(/\r$/, '');
}

/** Asks on the terminal with echo off: staff type the PIN where others may watch the screen. */
function askHidden(question: string, t: Text): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let typed = '';
    const finish = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        // Ctrl-C and Ctrl-D: raw mode turns them into plain characters, so they are handled here.
        if (char === '\u0003' || char === '\u0004') return finish(new Error(t.cancelled));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readPin(fromStdin: boolean, t: Text): Promise<string> {
  if (fromStdin) {
    const line = await readLine();
    if (line === null) throw new Error(t.noInput);
    return line.trim();
  }
  if (!process.stdin.isTTY) throw new Error(t.notTty);
  const first = await askHidden(t.ask, t);
  if (!PIN_PATTERN.test(first)) throw new Error(t.invalid);
  const second = await askHidden(t.repeat, t);
  if (first !== second) throw new Error(t.mismatch);
  return first;
}

async function setPinCommand(values: ReturnType<typeof parse>['values'], t: Text): Promise<number> {
  const pin = await readPin(values['pin-stdin'], t);
  if (!PIN_PATTERN.test(pin)) throw new Error(t.invalid);
  const paths = dataPaths(values.data ?? defaultDataDir());
  // The log is created if this is a fresh data folder: setting the PIN before the first start is allowed.
  const { db } = openLogDatabase({ file: paths.database, clock: systemClock });
  try {
    await setAdminPin(db, pin, systemClock, 'cli');
  } finally {
    db.close();
  }
  console.log(t.done(paths.dataDir));
  return 0;
}

function auditCommand(values: ReturnType<typeof parse>['values'], lang: 'zh-CN' | 'en', t: Text): number {
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(t.limit);
  const db = openExistingLog(dataPaths(values.data ?? defaultDataDir()).database, lang);
  try {
    const entries = createAuditLog(db, systemClock).recent(limit);
    if (values.json) console.log(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) console.log(t.empty);
    else {
      for (const e of entries) {
        const detail = Object.keys(e.detail).length > 0 ? `  ${JSON.stringify(e.detail)}` : '';
        console.log(`${e.at}  ${e.actor.padEnd(6)}  ${e.ok ? '✓' : '✗'} ${e.action}${detail}`);
      }
    }
    return 0;
  } finally {
    db.close();
  }
}

/** `kiosk admin set-pin | audit`: what staff do on the machine itself, outside the admin screen. */
export async function adminCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  const [sub, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`admin ${sub} takes no arguments, got ${extra.join(' ')}`);
  if (sub === 'set-pin') {
    if (values.json || values.limit !== undefined) throw new UsageError('admin set-pin takes --data, --lang and --pin-stdin');
    return setPinCommand(values, t);
  }
  if (sub === 'audit') {
    if (values['pin-stdin']) throw new UsageError('admin audit takes --data, --lang, --limit and --json');
    return auditCommand(values, lang, t);
  }
  throw new UsageError(sub ? `Unknown admin command "${sub}"` : 'admin needs a command');
}

import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FLEET_APPLICATION_ID, FLEET_MIGRATIONS } from './fleet-schema';

export type FleetOpenProblem = 'missing' | 'not-sqlite' | 'kiosk-log' | 'foreign' | 'newer';

/** Why a file cannot be used as a fleet database; `problem` is stable, the text comes from fleetOpenText. */
export class FleetOpenError extends Error {
  constructor(
    readonly problem: FleetOpenProblem,
    readonly file: string,
    readonly detail = '',
  ) {
    super(fleetOpenText(problem, file, 'en', detail));
    this.name = 'FleetOpenError';
  }
}

export function fleetOpenText(problem: FleetOpenProblem, file: string, lang: 'zh-CN' | 'en', detail = ''): string {
  const zh = lang === 'zh-CN';
  switch (problem) {
    case 'missing':
      return zh ? `找不到汇总数据库 ${file}` : `There is no fleet database at ${file}`;
    case 'not-sqlite':
      return zh ? `${file} 不是 SQLite 数据库，没有改动它` : `${file} is not an SQLite database; it was left untouched`;
    case 'kiosk-log':
      return zh
        ? `${file} 是展台自己的访问日志，不是汇总数据库；请用 --into 指定另一个文件，没有改动它`
        : `${file} is a kiosk's own visit log, not a fleet database; name another file with --into. It was left untouched`;
    case 'foreign':
      return zh ? `${file} 是其他程序的数据库，没有改动它` : `${file} belongs to another program; it was left untouched`;
    case 'newer':
      return zh
        ? `${file} 由更新版本的软件写入（${detail}），请先更新本软件`
        : `${file} was written by a newer version of this app (${detail}); update the app first`;
  }
}

const LATEST = FLEET_MIGRATIONS.at(-1)?.version ?? 0;

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** What the file is, judged only by reading: nothing is written to a file that is not ours. */
function identify(db: Database.Database, file: string): 'empty' | 'fleet' {
  let applicationId: number;
  let userVersion: number;
  let tables: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    userVersion = db.pragma('user_version', { simple: true }) as number;
    tables = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  } catch (error) {
    if (isNotADatabase(error)) throw new FleetOpenError('not-sqlite', file);
    throw error;
  }
  if (applicationId === FLEET_APPLICATION_ID) {
    if (userVersion > LATEST) throw new FleetOpenError('newer', file, `schema ${userVersion}, this app knows ${LATEST}`);
    return 'fleet';
  }
  if (applicationId === 0 && userVersion === 0 && tables === 0) return 'empty';
  const isKioskLog = db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN ('kiosk', 'event', 'visit')").get() as { n: number };
  throw new FleetOpenError(applicationId === 0 && isKioskLog.n === 3 ? 'kiosk-log' : 'foreign', file);
}

/**
 * Opens (or, with create, makes) an official's fleet database: the fleet schema, marked with its
 * application_id in the same transaction, so a kiosk log or some other program's file is refused rather
 * than migrated into something neither program can read.
 */
export function openFleetDatabase(file: string, options: { create: boolean }): Database.Database {
  if (!existsSync(file)) {
    if (!options.create) throw new FleetOpenError('missing', file);
    mkdirSync(dirname(file), { recursive: true });
  }
  const db = new Database(file);
  try {
    const kind = identify(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const current = kind === 'empty' ? 0 : (db.pragma('user_version', { simple: true }) as number);
    for (const migration of FLEET_MIGRATIONS) {
      if (migration.version <= current) continue;
      db.transaction(() => {
        migration.up(db);
        db.pragma(`application_id = ${FLEET_APPLICATION_ID}`);
        db.pragma(`user_version = ${migration.version}`);
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

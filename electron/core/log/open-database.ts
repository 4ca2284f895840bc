import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KioskNotice } from '../../common/kiosk-api';
import { isoUtc, type Clock } from '../clock';
import { migrate } from './migrations';

export interface OpenDatabaseOptions {
  file: string;
  clock: Clock;
  /**
   * Path of a better_sqlite3.node built for this runtime. Electron and Node have different ABIs, so the
   * Electron shell passes its own build and Node (tests, CLI) uses the one npm compiled.
   */
  nativeBinding?: string;
}

export interface OpenedDatabase {
  db: Database.Database;
  notices: KioskNotice[];
}

const CORRUPTION_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB']);

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

function openAndCheck(options: OpenDatabaseOptions): Database.Database {
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a visit acknowledged to the screen survives the plug being pulled.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      const error = new Error(`quick_check: ${String(check)}`) as Error & { code: string };
      error.code = 'SQLITE_CORRUPT';
      throw error;
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens the visit log. A corrupt file is moved aside (never deleted: someone may still recover it) and a
 * fresh log is started, with a notice staff see in the status.
 */
export function openLogDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  mkdirSync(dirname(options.file), { recursive: true });
  try {
    return { db: openAndCheck(options), notices: [] };
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const at = options.clock.now();
    const aside = `${options.file}.corrupt-${isoUtc(at).replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(options.file + suffix)) renameSync(options.file + suffix, aside + suffix);
    }
    const db = openAndCheck(options);
    return {
      db,
      notices: [
        {
          code: 'database-recovered',
          at: isoUtc(at),
          detail: `The visit log could not be read (${(error as Error).message}); it was moved to ${aside} and a new log was started.`,
        },
      ],
    };
  }
}

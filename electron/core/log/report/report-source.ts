import Database from 'better-sqlite3';
import { FLEET_APPLICATION_ID } from '../fleet/fleet-schema';

export type LogKind = 'kiosk' | 'fleet';

/** Why a file cannot be reported on, so the CLI can say it in the user's language. */
export class ReportSourceError extends Error {
  constructor(
    readonly code: 'missing' | 'not-a-log' | 'unreadable',
    readonly file: string,
    detail: string,
  ) {
    super(detail);
  }
}

export interface ReportSource {
  db: Database.Database;
  kind: LogKind;
  close(): void;
}

const tableExists = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Kiosk log or fleet database, told apart by the fleet's application_id (or its tables). */
export function detectLogKind(db: Database.Database): LogKind | null {
  if (db.pragma('application_id', { simple: true }) === FLEET_APPLICATION_ID || tableExists(db, 'fleet_event')) return 'fleet';
  if (tableExists(db, 'event') && tableExists(db, 'visit') && tableExists(db, 'kiosk')) return 'kiosk';
  return null;
}

/**
 * One set of TEMP views over either kind of database, each with a kiosk_id, so every report query is
 * written once. Temp views live in the connection's temp schema, which SQLite allows on a read-only
 * connection: the log file itself is never written by a report.
 */
export function createReportViews(db: Database.Database, kind: LogKind): void {
  if (kind === 'fleet') {
    db.exec(`
      CREATE TEMP VIEW r_kiosk AS SELECT kiosk_id, label, location FROM main.fleet_kiosk;
      CREATE TEMP VIEW r_visit AS SELECT kiosk_id, visit_id, pack_id, pack_version, locale, started_at, utc_offset_min,
        ended_at, end_reason, duration_ms FROM main.fleet_visit;
      CREATE TEMP VIEW r_event AS SELECT kiosk_id, seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data
        FROM main.fleet_event;
      CREATE TEMP VIEW r_audit AS SELECT kiosk_id, audit_id, at, actor, action, ok, detail FROM main.fleet_audit;
    `);
    return;
  }
  // A kiosk log has exactly one kiosk row; a cross join stamps its id on every row without a lookup each.
  const audit = tableExists(db, 'audit')
    ? 'SELECT k.kiosk_id, a.audit_id, a.at, a.actor, a.action, a.ok, a.detail FROM main.audit a CROSS JOIN main.kiosk k'
    : "SELECT NULL AS kiosk_id, NULL AS audit_id, NULL AS at, NULL AS actor, NULL AS action, NULL AS ok, NULL AS detail WHERE 0";
  db.exec(`
    CREATE TEMP VIEW r_kiosk AS SELECT kiosk_id, label, location FROM main.kiosk;
    CREATE TEMP VIEW r_visit AS SELECT k.kiosk_id, v.visit_id, v.pack_id, v.pack_version, v.locale, v.started_at, v.utc_offset_min,
      v.ended_at, v.end_reason, v.duration_ms FROM main.visit v CROSS JOIN main.kiosk k;
    CREATE TEMP VIEW r_event AS SELECT k.kiosk_id, e.seq, e.event_id, e.visit_id, e.at, e.t_ms, e.type, e.exhibit_id, e.activity_id,
      e.item_id, e.data FROM main.event e CROSS JOIN main.kiosk k;
    CREATE TEMP VIEW r_audit AS ${audit};
  `);
}

/** Opens a kiosk log or a fleet database read-only and puts the report views on the connection. */
export function openReportSource(file: string, nativeBinding?: string): ReportSource {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ReportSourceError(code === 'SQLITE_CANTOPEN' ? 'missing' : 'unreadable', file, (error as Error).message);
  }
  try {
    let kind: LogKind | null;
    try {
      kind = detectLogKind(db);
    } catch (error) {
      // Not an SQLite file at all (SQLITE_NOTADB) reads as "not a log" to the user.
      throw new ReportSourceError('not-a-log', file, (error as Error).message);
    }
    if (!kind) throw new ReportSourceError('not-a-log', file, 'no visit log or fleet tables');
    createReportViews(db, kind);
    return { db, kind, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

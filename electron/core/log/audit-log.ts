import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../../common/kiosk-api';
import { isoUtc, type Clock } from '../clock';

export type AuditActor = AuditEntry['actor'];

export interface AuditRecord {
  actor: AuditActor;
  /** Dotted and stable, e.g. 'admin.unlock', 'pack.install', 'export.write', 'clock.jump'. */
  action: string;
  ok?: boolean;
  /** Never a PIN or anything about a visitor: only what staff or an auditor need to read later. */
  detail?: Record<string, unknown>;
  /** When it happened (wall ms), if not now: an entry held for disk space keeps its own time. */
  at?: number;
}

export interface AuditLog {
  record(entry: AuditRecord): void;
  /** Newest first. */
  recent(limit: number, actions?: readonly string[]): AuditEntry[];
}

interface AuditRow {
  audit_id: number;
  at: string;
  actor: AuditActor;
  action: string;
  ok: number;
  detail: string;
}

/** The append-only audit table of migration 0003: admin actions and what the kiosk noticed by itself. */
export function createAuditLog(db: Database, clock: Clock): AuditLog {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, ok, detail) VALUES (?, ?, ?, ?, ?)');
  const recent = db.prepare('SELECT * FROM audit ORDER BY audit_id DESC LIMIT ?');
  const toEntry = (row: AuditRow): AuditEntry => ({
    auditId: row.audit_id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    ok: row.ok === 1,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  });
  return {
    record({ actor, action, ok = true, detail = {}, at }) {
      insert.run(isoUtc(at ?? clock.now()), actor, action, ok ? 1 : 0, JSON.stringify(detail));
    },
    recent(limit, actions) {
      if (!actions) return (recent.all(limit) as AuditRow[]).map(toEntry);
      const placeholders = actions.map(() => '?').join(', ');
      const rows = db
        .prepare(`SELECT * FROM audit WHERE action IN (${placeholders}) ORDER BY audit_id DESC LIMIT ?`)
        .all(...actions, limit) as AuditRow[];
      return rows.map(toEntry);
    },
  };
}

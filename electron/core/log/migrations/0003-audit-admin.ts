import type { Migration } from './migration';

/**
 * The audit trail of visit-log.md (admin actions, and what the kiosk itself noticed: recoveries, clock
 * jumps, a full disk) kept apart from visitor events, and the staff PIN as a scrypt hash with its lockout
 * state, so a restart cannot be used to reset the lockout.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'audit-and-admin',
  up: (db) => {
    db.exec(`
      CREATE TABLE audit (
        audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        actor    TEXT NOT NULL CHECK (actor IN ('staff', 'cli', 'system')),
        action   TEXT NOT NULL,
        ok       INTEGER NOT NULL CHECK (ok IN (0, 1)),
        detail   TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_action ON audit (action, audit_id);
      CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      CREATE TABLE admin_pin (
        singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
        -- 'scrypt$N$r$p$salt$hash', salt and hash in base64
        pin_hash        TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until    TEXT,
        changed_at      TEXT NOT NULL
      ) STRICT;
    `);
  },
};

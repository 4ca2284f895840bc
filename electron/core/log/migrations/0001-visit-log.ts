import type { Migration } from './migration';

/** The visit log of visit-log.md: the kiosk's identity, visits, and the append-only, hash-chained events. */
export const migration0001: Migration = {
  version: 1,
  name: 'visit-log',
  up: (db) => {
    db.exec(`
      CREATE TABLE kiosk (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        kiosk_id    TEXT NOT NULL,
        label       TEXT NOT NULL DEFAULT '',
        location    TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        public_key  TEXT NOT NULL,
        private_key TEXT NOT NULL
      ) STRICT;

      CREATE TABLE visit (
        visit_id       TEXT PRIMARY KEY,
        pack_id        TEXT NOT NULL,
        pack_version   TEXT NOT NULL,
        locale         TEXT NOT NULL,
        started_at     TEXT NOT NULL,
        utc_offset_min INTEGER NOT NULL,
        ended_at       TEXT,
        end_reason     TEXT CHECK (end_reason IN ('completed', 'idle', 'home', 'shutdown', 'recovered')),
        duration_ms    INTEGER
      ) STRICT;
      CREATE INDEX visit_started_at ON visit (started_at);
      CREATE INDEX visit_open ON visit (ended_at) WHERE ended_at IS NULL;

      -- AUTOINCREMENT: a seq is never reused, even after the newest row is gone.
      CREATE TABLE event (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id    TEXT NOT NULL UNIQUE,
        visit_id    TEXT NOT NULL REFERENCES visit (visit_id),
        at          TEXT NOT NULL,
        t_ms        INTEGER NOT NULL,
        type        TEXT NOT NULL,
        exhibit_id  TEXT,
        activity_id TEXT,
        item_id     TEXT,
        data        TEXT NOT NULL,
        hash        TEXT NOT NULL
      );
      CREATE INDEX event_visit ON event (visit_id, seq);
      CREATE INDEX event_type ON event (type);

      CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    `);
  },
};

import type { Migration } from '../migrations/migration';

/**
 * The schema of an official's fleet database (`kiosk logs merge … --into fleet.sqlite`): the rows of many
 * kiosks' sync bundles, each keyed by its kiosk. Columns mirror the kiosk's own tables so the report reads
 * either kind of database through the same views. Versioned by `user_version` like the kiosk log, and
 * marked by `application_id` so neither kind of file is ever mistaken for the other.
 */
export const FLEET_APPLICATION_ID = 0x4b464c54; // 'KFLT'

export const FLEET_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'fleet',
    up: (db) => {
      db.exec(`
        CREATE TABLE fleet_kiosk (
          kiosk_id   TEXT PRIMARY KEY,
          label      TEXT NOT NULL DEFAULT '',
          location   TEXT NOT NULL DEFAULT '',
          -- The first bundle's key is trusted; a later bundle signed by another key is refused.
          public_key TEXT NOT NULL,
          first_seen TEXT NOT NULL,
          last_seen  TEXT NOT NULL
        ) STRICT;

        CREATE TABLE fleet_visit (
          kiosk_id       TEXT NOT NULL REFERENCES fleet_kiosk (kiosk_id),
          visit_id       TEXT PRIMARY KEY,
          pack_id        TEXT NOT NULL,
          pack_version   TEXT NOT NULL,
          locale         TEXT NOT NULL,
          started_at     TEXT NOT NULL,
          utc_offset_min INTEGER NOT NULL,
          ended_at       TEXT,
          end_reason     TEXT,
          duration_ms    INTEGER
        ) STRICT;
        CREATE INDEX fleet_visit_started ON fleet_visit (started_at);

        CREATE TABLE fleet_event (
          kiosk_id    TEXT NOT NULL REFERENCES fleet_kiosk (kiosk_id),
          seq         INTEGER NOT NULL,
          event_id    TEXT NOT NULL UNIQUE,
          visit_id    TEXT NOT NULL,
          at          TEXT NOT NULL,
          t_ms        INTEGER NOT NULL,
          type        TEXT NOT NULL,
          exhibit_id  TEXT,
          activity_id TEXT,
          item_id     TEXT,
          data        TEXT NOT NULL,
          hash        TEXT NOT NULL,
          PRIMARY KEY (kiosk_id, seq)
        );
        CREATE INDEX fleet_event_visit ON fleet_event (visit_id, seq);
        CREATE INDEX fleet_event_type ON fleet_event (type);

        CREATE TABLE fleet_audit (
          kiosk_id TEXT NOT NULL REFERENCES fleet_kiosk (kiosk_id),
          audit_id INTEGER NOT NULL,
          at       TEXT NOT NULL,
          actor    TEXT NOT NULL,
          action   TEXT NOT NULL,
          ok       INTEGER NOT NULL,
          detail   TEXT NOT NULL,
          PRIMARY KEY (kiosk_id, audit_id)
        ) STRICT;

        -- Every bundle merged, so merging the same file again is recognised and reported.
        CREATE TABLE fleet_bundle (
          bundle_sha256 TEXT PRIMARY KEY,
          kiosk_id      TEXT NOT NULL,
          from_seq      INTEGER NOT NULL,
          to_seq        INTEGER NOT NULL,
          events        INTEGER NOT NULL,
          inserted      INTEGER NOT NULL,
          file_name     TEXT NOT NULL,
          imported_at   TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];

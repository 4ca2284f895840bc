import type { Migration } from './migration';

/**
 * Every export file written, with its seq range and hash: "export new since last time" reads its
 * watermark from here, and an official can check a file they were handed against the kiosk's record.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'export-record',
  up: (db) => {
    db.exec(`
      CREATE TABLE export (
        export_id  INTEGER PRIMARY KEY,
        format     TEXT NOT NULL,
        target     TEXT NOT NULL,
        -- 'all' | 'dates' | 'since-last': only complete runs move the "new since last time" watermark.
        range      TEXT NOT NULL CHECK (range IN ('all', 'dates', 'since-last')),
        from_seq   INTEGER NOT NULL,
        to_seq     INTEGER NOT NULL,
        rows       INTEGER NOT NULL,
        file       TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX export_watermark ON export (format, target, to_seq);
    `);
  },
};

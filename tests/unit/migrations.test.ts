import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../electron/core/log/migrations/0001-visit-log';
import { migration0002 } from '../../electron/core/log/migrations/0002-export-record';
import { migration0003 } from '../../electron/core/log/migrations/0003-audit-admin';
import { LATEST_SCHEMA_VERSION, migrate } from '../../electron/core/log/migrations';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  it('0001 creates the kiosk, visit and append-only event tables', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['event', 'kiosk', 'visit']);
    db.prepare("INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min) VALUES ('v', 'p', '1', 'en', 't', 0)").run();
    db.prepare("INSERT INTO event (event_id, visit_id, at, t_ms, type, data, hash) VALUES ('e', 'v', 't', 0, 'visit.start', '{}', 'h')").run();
    expect(() => db.prepare("UPDATE event SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM event').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE visit SET end_reason = 'bored'").run()).toThrow(/CHECK/);
  });

  it('0002 adds the export record, whose range is one of all, dates or since-last', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001, migration0002]);
    expect(tables(db)).toEqual(['event', 'export', 'kiosk', 'visit']);
    const insert = db.prepare(
      "INSERT INTO export (format, target, range, from_seq, to_seq, rows, file, sha256, created_at) VALUES ('csv', 'events', ?, 1, 2, 2, 'f', 'h', 't')",
    );
    insert.run('since-last');
    expect(() => insert.run('yesterday')).toThrow(/CHECK/);
  });

  it('0003 adds an append-only audit table and a single PIN row', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001, migration0002, migration0003]);
    expect(tables(db)).toEqual(['admin_pin', 'audit', 'event', 'export', 'kiosk', 'visit']);
    db.prepare("INSERT INTO audit (at, actor, action, ok) VALUES ('t', 'staff', 'admin.unlock', 1)").run();
    expect(() => db.prepare("INSERT INTO audit (at, actor, action, ok) VALUES ('t', 'visitor', 'x', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE audit SET ok = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO admin_pin (singleton, pin_hash, changed_at) VALUES (1, 'h', 't')").run();
    expect(() => db.prepare("INSERT INTO admin_pin (singleton, pin_hash, changed_at) VALUES (2, 'h', 't')").run()).toThrow(/CHECK/);
  });

  it('is idempotent and records the latest version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('rolls a failing migration back completely', () => {
    const db = new Database(':memory:');
    const broken = { version: 1, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM missing;') };
    expect(() => migrate(db, [broken])).toThrow(/missing/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it('refuses a log written by a newer app', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer version of the kiosk/);
  });
});

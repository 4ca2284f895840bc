import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../electron/core/log/migrations/0001-visit-log';
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

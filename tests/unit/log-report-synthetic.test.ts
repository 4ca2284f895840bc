import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventDataSchemas, EVENT_TYPES, type EventType } from '../../electron/common/events';
import { verifyChain } from '../../electron/core/log/verify-chain';
import { loadBundledPack, writeSyntheticLog } from '../helpers/synthetic-log';

const isEventType = (type: string): type is EventType => (EVENT_TYPES as string[]).includes(type);

describe('synthetic visit log', () => {
  it('writes a log whose hash chain verifies and whose events all validate', () => {
    const db = new Database(':memory:');
    const written = writeSyntheticLog(db, { visits: 400, seed: 7, days: 5 });
    expect(written.visits).toBe(400);
    expect(verifyChain(db)).toEqual(expect.objectContaining({ ok: true, events: written.events }));
    const rows = db.prepare('SELECT type, data FROM event').all() as { type: string; data: string }[];
    expect(rows).toHaveLength(written.events);
    for (const row of rows) {
      if (!isEventType(row.type)) throw new Error(`unknown event type ${row.type}`);
      const parsed = eventDataSchemas[row.type].safeParse(JSON.parse(row.data));
      expect(parsed.success, `${row.type} ${row.data}`).toBe(true);
    }
    // Every visit is closed and starts with visit.start, ends with visit.end.
    expect(db.prepare('SELECT COUNT(*) AS n FROM visit WHERE ended_at IS NULL').get()).toEqual({ n: 0 });
    const bounds = db
      .prepare(`SELECT (SELECT type FROM event e WHERE e.visit_id = v.visit_id ORDER BY seq LIMIT 1) AS first,
                       (SELECT type FROM event e WHERE e.visit_id = v.visit_id ORDER BY seq DESC LIMIT 1) AS last FROM visit v`)
      .all() as { first: string; last: string }[];
    expect(bounds.every((b) => b.first === 'visit.start' && b.last === 'visit.end')).toBe(true);
  });

  it('uses the real ids of the pack and the whole range of visitor behaviour', () => {
    const db = new Database(':memory:');
    writeSyntheticLog(db, { visits: 600, seed: 3, days: 7 });
    const pack = loadBundledPack();
    const activityIds = new Set(pack.activities.map((a) => a.id));
    const used = db.prepare('SELECT DISTINCT activity_id AS id FROM event WHERE activity_id IS NOT NULL').all() as { id: string }[];
    expect(used.every((u) => activityIds.has(u.id))).toBe(true);
    const types = new Set((db.prepare('SELECT DISTINCT type FROM event').all() as { type: string }[]).map((r) => r.type));
    for (const type of ['video.ended', 'video.seek', 'scenario.end', 'quiz.finish', 'quiz.answer', 'locale.change']) expect(types).toContain(type);
    const reasons = new Set((db.prepare('SELECT DISTINCT end_reason AS r FROM visit').all() as { r: string }[]).map((r) => r.r));
    for (const reason of ['idle', 'home', 'completed', 'recovered']) expect(reasons).toContain(reason);
    const bounces = db.prepare('SELECT COUNT(*) AS n FROM visit WHERE duration_ms < 10000').get() as { n: number };
    expect(bounces.n).toBeGreaterThan(30);
    // Seq order is time order.
    const backwards = db.prepare('SELECT COUNT(*) AS n FROM event a JOIN event b ON b.seq = a.seq + 1 WHERE b.at < a.at').get() as { n: number };
    expect(backwards.n).toBe(0);
  });

  it('is deterministic for a seed and appends after an existing chain', () => {
    const dump = (seed: number) => {
      const db = new Database(':memory:');
      writeSyntheticLog(db, { visits: 50, seed });
      return (db.prepare('SELECT visit_id, type, data, at FROM event ORDER BY seq').all() as unknown[]);
    };
    expect(dump(5)).toEqual(dump(5));
    expect(dump(5)).not.toEqual(dump(6));
    const db = new Database(':memory:');
    writeSyntheticLog(db, { visits: 20, seed: 1 });
    writeSyntheticLog(db, { visits: 20, seed: 2, startDay: '2026-04-01' });
    expect(verifyChain(db).ok).toBe(true);
  });
});

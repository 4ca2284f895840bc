import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/log/migrations';
import { verifyChain } from '../../electron/core/log/verify-chain';
import { openLogDatabase } from '../../electron/core/log/open-database';
import { dataPaths } from '../../electron/core/paths';
import { FakeClock } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

describe('visit log', () => {
  it('opens in WAL mode with synchronous=FULL', async () => {
    const kiosk = await tempKiosk();
    expect(kiosk.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(kiosk.db.pragma('synchronous', { simple: true })).toBe(2);
    kiosk.close();
  });

  it('takes visit durations from the monotonic clock, not the wall clock', async () => {
    const kiosk = await tempKiosk();
    const visit = await kiosk.service.startVisit({ locale: 'zh-CN' });
    kiosk.clock.monoMs += 42_000;
    kiosk.clock.wallMs -= 3_600_000; // someone set the clock back an hour
    const ended = await kiosk.service.endVisit({ visitId: visit.visitId, reason: 'completed' });
    expect(ended.durationMs).toBe(42_000);
    kiosk.close();
  });

  it('closes visits left open by a crash as "recovered" at their last event', async () => {
    const dataDir = tempDir();
    const first = await tempKiosk(dataDir);
    const visit = await first.service.startVisit({ locale: 'en' });
    await first.service.logEvents({ visitId: visit.visitId, events: [{ type: 'exhibit.open', tMs: 7_000, exhibitId: 'first', data: {} }] });
    // No close(): the process died. A new start must find and close the visit.
    const second = await tempKiosk(dataDir);
    const row = second.db.prepare('SELECT end_reason, duration_ms FROM visit WHERE visit_id = ?').get(visit.visitId);
    expect(row).toEqual({ end_reason: 'recovered', duration_ms: 7_000 });
    const status = await second.service.getStatus();
    expect(status.notices.map((n) => n.code)).toEqual(['visits-recovered']);
    expect(verifyChain(second.db)).toMatchObject({ ok: true, events: 3 });
    second.close();
    first.db.close();
  });

  it('ends open visits as "shutdown" when the kiosk is stopped', async () => {
    const kiosk = await tempKiosk();
    const visit = await kiosk.service.startVisit({ locale: 'en' });
    kiosk.clock.advance(5_000);
    const db = new Database(dataPaths(kiosk.dataDir).database);
    kiosk.close();
    expect(db.prepare('SELECT end_reason, duration_ms FROM visit WHERE visit_id = ?').get(visit.visitId)).toEqual({
      end_reason: 'shutdown',
      duration_ms: 5_000,
    });
    db.close();
  });

  it('detects an edited event through the hash chain', async () => {
    const kiosk = await tempKiosk();
    const visit = await kiosk.service.startVisit({ locale: 'en' });
    await kiosk.service.logEvents({ visitId: visit.visitId, events: [{ type: 'exhibit.open', tMs: 10, exhibitId: 'first', data: {} }] });
    await kiosk.service.endVisit({ visitId: visit.visitId, reason: 'idle' });
    kiosk.db.exec('DROP TRIGGER event_append_only_update');
    kiosk.db.prepare("UPDATE event SET exhibit_id = 'second' WHERE seq = 2").run();
    expect(verifyChain(kiosk.db)).toEqual({ ok: false, events: 2, brokenAtSeq: 2, reason: 'hash does not match the row and its predecessor' });
    kiosk.close();
  });

  it('moves a corrupt database aside, never deleting it, and starts a new one', () => {
    const dir = tempDir();
    const file = join(dir, 'visit-log.sqlite');
    const garbage = 'this is not a database, but someone may still want it back '.repeat(100);
    writeFileSync(file, garbage);
    const { db, notices } = openLogDatabase({ file, clock: new FakeClock() });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.code).toBe('database-recovered');
    const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(notices[0]!.detail).toContain(aside[0]);
    expect(existsSync(join(dir, aside[0]!))).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('keeps one kiosk identity with an Ed25519 key across restarts', async () => {
    const dataDir = tempDir();
    const a = await tempKiosk(dataDir);
    const idA = (await a.service.getStatus()).kioskId;
    const key = a.db.prepare('SELECT public_key FROM kiosk').get() as { public_key: string };
    expect(key.public_key).toContain('BEGIN PUBLIC KEY');
    a.close();
    const b = await tempKiosk(dataDir);
    expect((await b.service.getStatus()).kioskId).toBe(idA);
    b.close();
  });
});

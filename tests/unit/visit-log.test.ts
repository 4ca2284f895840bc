import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientEvent } from '../../electron/common/events';
import { KioskError } from '../../electron/common/kiosk-api';
import { createAuditLog } from '../../electron/core/log/audit-log';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/log/migrations';
import { createVisitLog, type VisitLogOptions } from '../../electron/core/log/visit-log';
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

const PACK = { id: 'org.example.mini', version: '1.0.0' };
/** About 2 KB a row, so a few rows need a new page. */
const bulky = (n: number): ClientEvent => ({ type: 'article.qr.show', tMs: n, itemId: `n${n}`, data: { url: `https://example.org/${n}/${'x'.repeat(2_000)}` } });
const play = (position: number): ClientEvent => ({ type: 'video.play', tMs: position * 10, data: { position } });

/** The visit log alone on a fresh database, with held writes retried only when the test says so. */
function openLog(options: VisitLogOptions = {}, clock = new FakeClock(), file = join(tempDir(), 'visit-log.sqlite')) {
  const { db } = openLogDatabase({ file, clock });
  const log = createVisitLog(db, clock, { retryEveryMs: 0, ...options });
  const audit = createAuditLog(db, clock);
  const actions = () => audit.recent(100).map((e) => e.action).reverse();
  const rows = () =>
    db.prepare('SELECT seq, visit_id AS visitId, type, t_ms AS tMs, at FROM event ORDER BY seq').all() as {
      seq: number;
      visitId: string;
      type: string;
      tMs: number;
      at: string;
    }[];
  return { db, log, clock, file, actions, rows };
}

/** Makes SQLite refuse to grow the file, exactly as a full disk does (SQLITE_FULL). */
function fillDisk(db: Database.Database): void {
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
}
function freeDisk(db: Database.Database): void {
  db.pragma('max_page_count = 1073741823');
}

/** Logs bulky events until the disk refuses one; returns how many were acknowledged before. */
function logUntilHeld(log: ReturnType<typeof openLog>['log'], visitId: string): number {
  for (let n = 0; n < 500; n += 1) {
    const result = log.logEvents(visitId, [bulky(n)]);
    if (result.held > 0) {
      expect(result).toMatchObject({ acknowledged: 0, held: 1 });
      return n;
    }
    expect(result).toMatchObject({ acknowledged: 1, held: 0 });
  }
  throw new Error('the disk never filled up');
}

describe('held writes (full disk)', () => {
  afterEach(() => vi.useRealTimers());

  it('holds writes in order while the disk is full and writes each exactly once when space returns', () => {
    const { db, log, clock, actions, rows } = openLog();
    const first = log.startVisit(PACK, 'en');
    fillDisk(db);
    const before = logUntilHeld(log, first.visitId);
    const writtenBefore = rows();
    expect(log.heldWrites()).toBe(1);
    expect(log.storageProblem()).toMatchObject({ detail: expect.stringContaining('SQLITE_FULL') });
    expect(log.notices().map((n) => n.code)).toEqual(['storage-full']);

    // Small writes that might fit on their own still queue behind the held one, so the order holds.
    expect(log.logEvents(first.visitId, [play(1), play(2)])).toEqual({ acknowledged: 0, held: 2, lastSeq: writtenBefore.at(-1)!.seq });
    clock.advance(4_000);
    expect(log.endVisit(first.visitId, 'completed')).toMatchObject({ durationMs: 4_000 });
    // A visit that exists only in memory takes events and ends like any other.
    clock.advance(1_000);
    const second = log.startVisit(PACK, 'zh-CN');
    expect(second.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(log.logEvents(second.visitId, [play(3)])).toMatchObject({ acknowledged: 0, held: 1 });
    expect(() => log.logEvents(first.visitId, [play(9)])).toThrow(/already ended/);
    clock.advance(2_500);
    const ended = log.endVisit(second.visitId, 'idle');
    expect(ended.durationMs).toBe(2_500);
    expect(log.endVisit(second.visitId, 'idle')).toEqual(ended);
    expect(log.heldWrites()).toBe(1 + 2 + 1 + 1 + 1 + 1);

    // Still full: a retry writes nothing and loses nothing.
    expect(log.retryHeldWrites()).toBe(7);
    expect(rows()).toEqual(writtenBefore);

    freeDisk(db);
    expect(log.retryHeldWrites()).toBe(0);
    expect(log.storageProblem()).toBeNull();
    expect(log.notices()).toEqual([]);
    const after = rows();
    expect(after.slice(0, writtenBefore.length)).toEqual(writtenBefore);
    expect(after.slice(writtenBefore.length).map((r) => [r.visitId === first.visitId ? 1 : 2, r.type, r.tMs])).toEqual([
      [1, 'article.qr.show', before],
      [1, 'video.play', 10],
      [1, 'video.play', 20],
      [1, 'visit.end', 4_000],
      [2, 'visit.start', 0],
      [2, 'video.play', 30],
      [2, 'visit.end', 2_500],
    ]);
    expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1));
    expect(verifyChain(db)).toMatchObject({ ok: true, events: after.length });
    expect(db.prepare('SELECT end_reason, duration_ms FROM visit WHERE visit_id = ?').get(second.visitId)).toEqual({
      end_reason: 'idle',
      duration_ms: 2_500,
    });
    // Held rows keep the time they were accepted, not the time they reached the disk.
    expect(after.find((r) => r.visitId === second.visitId && r.type === 'visit.start')!.at).toBe(second.startedAt);
    expect(actions()).toEqual(['storage.full', 'storage.recovered']);
    const third = log.startVisit(PACK, 'en');
    expect(log.logEvents(third.visitId, [play(4)])).toMatchObject({ acknowledged: 1, held: 0 });
    db.close();
  });

  it('holds its own audit entries too when the disk refuses them, never failing the visitor', () => {
    const { db, log, clock, actions } = openLog();
    const visit = log.startVisit(PACK, 'en');
    fillDisk(db);
    // Fill the audit table's last page as well, so the 'storage.full' entry cannot be written either.
    const audit = createAuditLog(db, clock);
    let auditFull: unknown = null;
    for (let n = 0; n < 10_000 && !auditFull; n += 1) {
      try {
        audit.record({ actor: 'system', action: 'test.filler', detail: { n } });
      } catch (error) {
        auditFull = error;
      }
    }
    expect(auditFull).toMatchObject({ code: 'SQLITE_FULL' });
    logUntilHeld(log, visit.visitId);
    clock.monoMs += 1_000;
    clock.wallMs += 3_600_000;
    expect(log.logEvents(visit.visitId, [play(1)])).toMatchObject({ held: 1 });
    expect(log.lastClockJump()).toMatchObject({ wallDeltaMs: 3_600_000 });
    expect(actions().filter((a) => a !== 'test.filler')).toEqual([]);
    freeDisk(db);
    clock.wallMs += 600_000;
    expect(log.retryHeldWrites()).toBe(0);
    const trail = audit.recent(100).filter((e) => e.action !== 'test.filler').reverse();
    expect(trail.map((e) => e.action)).toEqual(['storage.full', 'clock.jump', 'storage.recovered']);
    // Held entries keep the time they happened, not the time the disk let them through.
    const [full, jump, recovered] = trail.map((e) => Date.parse(e.at));
    expect(jump! - full!).toBe(3_600_000);
    expect(recovered! - jump!).toBe(600_000);
    db.close();
  });

  it('refuses with storage-full beyond the memory cap, keeping what it already holds', () => {
    const { db, log, rows } = openLog({ maxHeldRows: 3 });
    const visit = log.startVisit(PACK, 'en');
    fillDisk(db);
    logUntilHeld(log, visit.visitId);
    expect(log.logEvents(visit.visitId, [play(1), play(2)])).toMatchObject({ held: 2 });
    let refusal: unknown;
    try {
      log.logEvents(visit.visitId, [play(3)]);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(KioskError);
    expect(refusal).toMatchObject({ code: 'storage-full', message: expect.stringContaining('space is freed') });
    expect(log.heldWrites()).toBe(3);
    freeDisk(db);
    expect(log.logEvents(visit.visitId, [play(3)])).toMatchObject({ acknowledged: 1, held: 0 });
    expect(rows().slice(-3).map((r) => r.tMs)).toEqual([10, 20, 30]);
    db.close();
  });

  it('retries held writes on a timer, without waiting for the next visitor', () => {
    vi.useFakeTimers();
    const { db, log, rows } = openLog({ retryEveryMs: 5_000 });
    const visit = log.startVisit(PACK, 'en');
    fillDisk(db);
    logUntilHeld(log, visit.visitId);
    vi.advanceTimersByTime(5_000);
    expect(log.heldWrites()).toBe(1);
    freeDisk(db);
    vi.advanceTimersByTime(5_000);
    expect(log.heldWrites()).toBe(0);
    expect(verifyChain(db)).toMatchObject({ ok: true, events: rows().length });
    // Closed database: the timer stops quietly instead of throwing into the event loop.
    fillDisk(db);
    logUntilHeld(log, visit.visitId);
    db.close();
    vi.advanceTimersByTime(20_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends held visits at shutdown once space returned, and closes crashed held visits at their last event', () => {
    const { db, log, clock, rows } = openLog();
    const filler = log.startVisit(PACK, 'en');
    fillDisk(db);
    logUntilHeld(log, filler.visitId);
    const visit = log.startVisit(PACK, 'en');
    log.logEvents(visit.visitId, [play(5)]);
    expect(log.heldWrites()).toBe(3);
    clock.advance(9_000);
    freeDisk(db);
    expect(log.closeOpenVisits('shutdown')).toBe(2);
    expect(log.heldWrites()).toBe(0);
    expect(rows().filter((r) => r.visitId === visit.visitId).map((r) => [r.type, r.tMs])).toEqual([
      ['visit.start', 0],
      ['video.play', 50],
      ['visit.end', 9_000],
    ]);

    const crashed = log.startVisit(PACK, 'en');
    fillDisk(db);
    logUntilHeld(log, crashed.visitId);
    log.logEvents(crashed.visitId, [play(7)]);
    expect(log.closeOpenVisits('recovered')).toBe(1);
    freeDisk(db);
    expect(log.retryHeldWrites()).toBe(0);
    expect(db.prepare('SELECT end_reason, duration_ms FROM visit WHERE visit_id = ?').get(crashed.visitId)).toEqual({
      end_reason: 'recovered',
      duration_ms: 70,
    });
    expect(verifyChain(db)).toMatchObject({ ok: true });
    db.close();
  });
});

describe('clock jumps', () => {
  it('records a forward jump without correcting the stored time', () => {
    const { log, clock, actions, rows, db } = openLog();
    const visit = log.startVisit(PACK, 'en');
    clock.advance(90_000); // ordinary time: both clocks move together
    log.logEvents(visit.visitId, [play(1)]);
    expect(log.lastClockJump()).toBeNull();
    clock.monoMs += 1_000;
    clock.wallMs += 3_601_000; // someone set the clock an hour ahead
    log.logEvents(visit.visitId, [play(2)]);
    const jump = log.lastClockJump();
    expect(jump).toMatchObject({ wallDeltaMs: 3_601_000, monotonicDeltaMs: 1_000, to: new Date(clock.wallMs).toISOString() });
    expect(Date.parse(jump!.to) - Date.parse(jump!.from)).toBe(3_600_000);
    expect(rows().at(-1)!.at).toBe(new Date(clock.wallMs).toISOString());
    expect(actions()).toEqual(['clock.jump']);
    expect(log.notices().map((n) => n.code)).toEqual(['clock-jump']);
    // Durations stay monotonic: 91 s of visit, not an hour.
    expect(log.endVisit(visit.visitId, 'completed').durationMs).toBe(91_000);
    db.close();
  });

  it('records a step back, but not drift under the threshold', () => {
    const { log, clock, actions, db } = openLog();
    const visit = log.startVisit(PACK, 'en');
    clock.monoMs += 600_000;
    clock.wallMs += 600_000 + 90_000; // a minute and a half of drift over ten minutes
    log.logEvents(visit.visitId, [play(1)]);
    expect(log.lastClockJump()).toBeNull();
    clock.monoMs += 10_000;
    clock.wallMs -= 86_400_000;
    log.logEvents(visit.visitId, [play(2)]);
    expect(log.lastClockJump()).toMatchObject({ wallDeltaMs: -86_400_000, monotonicDeltaMs: 10_000 });
    expect(actions()).toEqual(['clock.jump']);
    db.close();
  });

  it('notices at start that the clock is earlier than the newest event', () => {
    const file = join(tempDir(), 'visit-log.sqlite');
    const first = openLog({}, new FakeClock(Date.parse('2026-11-30T18:00:00.000Z')), file);
    first.log.startVisit(PACK, 'en');
    first.db.close();
    // Switched off, and the clock battery lost a day.
    const second = openLog({}, new FakeClock(Date.parse('2026-11-29T09:00:00.000Z')), file);
    expect(second.log.lastClockJump()).toEqual({
      at: '2026-11-29T09:00:00.000Z',
      wallDeltaMs: -(9 * 3_600_000 + 24 * 3_600_000),
      monotonicDeltaMs: null,
      from: '2026-11-30T18:00:00.000Z',
      to: '2026-11-29T09:00:00.000Z',
    });
    expect(second.actions()).toEqual(['clock.jump']);
    second.db.close();
    const third = openLog({}, new FakeClock(Date.parse('2026-11-30T19:00:00.000Z')), file);
    expect(third.log.lastClockJump()).toBeNull();
    third.db.close();
  });
});

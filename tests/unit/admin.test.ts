import type { Database } from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KioskApi, KioskMethod } from '../../electron/common/kiosk-api';
import { createAdminSessions, SESSION_IDLE_MS } from '../../electron/core/admin/admin-sessions';
import { setAdminPin } from '../../electron/core/admin/admin-pin';
import { hashPin, PIN_SCRYPT, verifyPin } from '../../electron/core/admin/pin-hash';
import { afterWrongPin, lockedUntil, lockoutAfter, UNLOCKED } from '../../electron/core/admin/pin-lockout';
import { FakeClock } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';
import { adminSession, tempKiosk, TEST_PIN } from '../helpers/temp-kiosk';

const FORGED = 'A'.repeat(43);

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

const auditRows = (kiosk: { db: Database }) =>
  kiosk.db.prepare('SELECT actor, action, ok, detail FROM audit ORDER BY audit_id').all() as {
    actor: string;
    action: string;
    ok: number;
    detail: string;
  }[];

describe('PIN hash', () => {
  it('stores scrypt with its parameters and a random salt, and checks well within a second', async () => {
    const started = performance.now();
    const stored = await hashPin('2468');
    const hashMs = performance.now() - started;
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(PIN_SCRYPT).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(await hashPin('2468')).not.toBe(stored);
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
    expect(await verifyPin('24680', stored)).toBe(false);
    // Well below a second even on a loaded test machine; the figure is printed for the report.
    expect(hashMs).toBeLessThan(1_000);
    console.log(`scrypt PIN hash: ${hashMs.toFixed(0)} ms`);
  });

  it('matches nothing against a damaged or hostile stored hash', async () => {
    expect(await verifyPin('2468', '')).toBe(false);
    expect(await verifyPin('2468', 'scrypt$32768$8$1$AAAA$BBBB')).toBe(false);
    // Parameters that would make one check take minutes are refused, not run.
    const stored = await hashPin('2468');
    expect(await verifyPin('2468', stored.replace('$32768$', '$1073741824$'))).toBe(false);
  });
});

describe('PIN lockout', () => {
  it('allows two wrong PINs, then locks out for 30 s, doubling each time up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6].map(lockoutAfter)).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000]);
    expect(lockoutAfter(9)).toBe(1_920_000);
    expect(lockoutAfter(10)).toBe(3_600_000);
    expect(lockoutAfter(1_000)).toBe(3_600_000);
    let state = UNLOCKED;
    for (let i = 0; i < 3; i += 1) state = afterWrongPin(state, 1_000);
    expect(state).toEqual({ failedAttempts: 3, lockedUntil: 31_000 });
    expect(lockedUntil(state, 30_999)).toBe(31_000);
    expect(lockedUntil(state, 31_000)).toBeNull();
  });

  it('caps a lockout that a clock set back would stretch', () => {
    const state = { failedAttempts: 3, lockedUntil: Date.parse('2026-12-01T10:00:00Z') };
    const setBack = Date.parse('2026-12-01T07:00:00Z');
    expect(lockedUntil(state, setBack)).toBe(setBack + 30_000);
  });
});

describe('admin sessions', () => {
  it('expire after five idle minutes, sliding with each use', () => {
    const clock = new FakeClock();
    const sessions = createAdminSessions(clock);
    const { session, expiresAt } = sessions.open();
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(new Date(clock.now() + SESSION_IDLE_MS).toISOString());
    clock.advance(SESSION_IDLE_MS - 1);
    expect(sessions.touch(session)?.expiresAt).toBe(new Date(clock.now() + SESSION_IDLE_MS).toISOString());
    clock.advance(SESSION_IDLE_MS - 1);
    expect(sessions.touch(session)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(sessions.touch(session)).toBeNull();
    // Once gone it stays gone, even if the clock came back.
    clock.monoMs -= SESSION_IDLE_MS;
    expect(sessions.touch(session)).toBeNull();
  });

  it('run on the monotonic clock, so a wall-clock jump neither ends nor prolongs them', () => {
    const clock = new FakeClock();
    const sessions = createAdminSessions(clock);
    const { session } = sessions.open();
    clock.wallMs += 24 * 3_600_000;
    expect(sessions.touch(session)).not.toBeNull();
  });

  it('end one by one, all but one, and the oldest when too many are open', () => {
    const clock = new FakeClock();
    const sessions = createAdminSessions(clock);
    const a = sessions.open().session;
    const b = sessions.open().session;
    const c = sessions.open().session;
    sessions.end(a);
    expect(sessions.touch(a)).toBeNull();
    sessions.endAllExcept(c);
    expect(sessions.touch(b)).toBeNull();
    expect(sessions.touch(c)).not.toBeNull();
    const opened = Array.from({ length: 16 }, () => sessions.open().session);
    expect(sessions.touch(c)).toBeNull();
    expect(opened.every((s) => sessions.touch(s) !== null)).toBe(true);
  });
});

describe('admin access through the service', () => {
  it('locks out with growing delays that a restart does not reset, and a right PIN clears them', async () => {
    const dataDir = tempDir();
    let kiosk = await tempKiosk(dataDir);
    await adminSession(kiosk.service);
    const clock = kiosk.clock;
    expect((await failure(kiosk.service.unlockAdmin({ pin: '1111' }))).code).toBe('wrong-pin');
    expect((await failure(kiosk.service.unlockAdmin({ pin: '1111' }))).code).toBe('wrong-pin');
    expect(await kiosk.service.getAdminState()).toMatchObject({ failedAttempts: 2, lockedUntil: null });
    const third = await failure(kiosk.service.unlockAdmin({ pin: '1111' }));
    expect(third.code).toBe('wrong-pin');
    expect(third.message).toContain(new Date(clock.now() + 30_000).toISOString());
    expect(await kiosk.service.getAdminState()).toMatchObject({
      failedAttempts: 3,
      lockedUntil: new Date(clock.now() + 30_000).toISOString(),
    });
    // During the lockout even the right PIN is refused, and the refusal does not lengthen it.
    expect((await failure(kiosk.service.unlockAdmin({ pin: TEST_PIN }))).code).toBe('locked-out');
    expect((await kiosk.service.getAdminState()).failedAttempts).toBe(3);

    // A restart (the process killed, so nothing is closed cleanly) keeps the lockout.
    kiosk = await tempKiosk(dataDir, { clock });
    expect((await failure(kiosk.service.unlockAdmin({ pin: TEST_PIN }))).code).toBe('locked-out');
    clock.advance(30_000);
    expect((await failure(kiosk.service.unlockAdmin({ pin: '1111' }))).code).toBe('wrong-pin');
    expect((await kiosk.service.getAdminState()).lockedUntil).toBe(new Date(clock.now() + 60_000).toISOString());
    clock.advance(60_000);
    expect((await failure(kiosk.service.unlockAdmin({ pin: '1111' }))).code).toBe('wrong-pin');
    expect((await kiosk.service.getAdminState()).lockedUntil).toBe(new Date(clock.now() + 120_000).toISOString());
    clock.advance(120_000);
    const session = await kiosk.service.unlockAdmin({ pin: TEST_PIN });
    expect(session.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await kiosk.service.getAdminState()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expect(kiosk.db.prepare('SELECT failed_attempts, locked_until FROM admin_pin').get()).toEqual({ failed_attempts: 0, locked_until: null });

    const unlocks = auditRows(kiosk).filter((r) => r.action === 'admin.unlock');
    expect(unlocks.map((r) => (JSON.parse(r.detail) as { result: string }).result)).toEqual([
      'wrong-pin',
      'wrong-pin',
      'wrong-pin',
      'locked-out',
      'locked-out',
      'wrong-pin',
      'wrong-pin',
      'ok',
    ]);
    expect(unlocks.map((r) => r.ok)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    kiosk.close();
  });

  it('counts guesses sent all at once one by one, so a burst cannot slip past the lockout', async () => {
    const kiosk = await tempKiosk();
    await adminSession(kiosk.service);
    const results = await Promise.all(['1000', '1001', '1002', '1003', '1004', '1005'].map((pin) => failure(kiosk.service.unlockAdmin({ pin }))));
    expect(results.map((r) => r.code)).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'locked-out', 'locked-out', 'locked-out']);
    expect((await kiosk.service.getAdminState()).failedAttempts).toBe(3);
    kiosk.close();
  });

  it('refuses every admin method without a live session, and with an expired one', async () => {
    const kiosk = await tempKiosk(tempDir(), { shell: { pickPath: async () => '/picked', exit: () => {} } });
    const api = kiosk.service;
    const session = await adminSession(api);
    const out = tempDir();
    // The mapped type makes the compiler list every method that needs a session.
    type Gated = Exclude<KioskMethod, 'getPack' | 'getSettings' | 'startVisit' | 'logEvents' | 'endVisit' | 'getStatus' | 'getAdminState' | 'setupKiosk' | 'unlockAdmin'>;
    const calls: { [M in Gated]: (s: string) => ReturnType<KioskApi[M]> } = {
      lockAdmin: (s) => api.lockAdmin({ session: s }),
      changePin: (s) => api.changePin({ session: s, currentPin: TEST_PIN, newPin: '1357' }),
      updateSettings: (s) => api.updateSettings({ session: s, patch: { volume: 0.1 } }),
      setKioskInfo: (s) => api.setKioskInfo({ session: s, label: 'x', location: 'y' }),
      getAuditLog: (s) => api.getAuditLog({ session: s }),
      pickPath: (s) => api.pickPath({ session: s, purpose: 'pack-file' }),
      listDrives: (s) => api.listDrives({ session: s }),
      findPacks: (s) => api.findPacks({ session: s, dir: out }),
      exportLogs: (s) => api.exportLogs({ session: s, format: 'csv', range: { kind: 'all' }, lang: 'en', outDir: out }),
      exitKiosk: (s) => api.exitKiosk({ session: s }),
      listPacks: (s) => api.listPacks({ session: s }),
      checkPack: (s) => api.checkPack({ session: s, path: out }),
      installPack: (s) => api.installPack({ session: s, path: out }),
      activatePack: (s) => api.activatePack({ session: s, id: 'org.example.mini', version: '1.0.0' }),
      rollbackPack: (s) => api.rollbackPack({ session: s }),
    };
    const auditBefore = auditRows(kiosk).length;
    for (const [method, call] of Object.entries(calls)) {
      expect((await failure(call(FORGED))).code, method).toBe('admin-required');
    }
    kiosk.clock.advance(SESSION_IDLE_MS);
    for (const [method, call] of Object.entries(calls)) {
      expect((await failure(call(session))).code, `${method} (expired)`).toBe('admin-required');
    }
    // Refused calls change nothing: no settings, no name, no export, no PIN, no audit rows.
    expect((await api.getSettings()).volume).toBe(0.8);
    expect((await api.getStatus()).label).toBe('Test kiosk');
    expect(existsSync(join(out, 'visits.csv'))).toBe(false);
    expect(auditRows(kiosk).length).toBe(auditBefore);
    const fresh = await api.unlockAdmin({ pin: TEST_PIN });
    expect((await api.getAuditLog({ session: fresh.session })).length).toBeGreaterThan(0);
    kiosk.close();
  });

  it('keeps a session alive while staff work, and ends it after five idle minutes', async () => {
    const kiosk = await tempKiosk();
    const session = await adminSession(kiosk.service);
    for (let i = 0; i < 4; i += 1) {
      kiosk.clock.advance(4 * 60_000);
      await kiosk.service.listPacks({ session });
    }
    kiosk.clock.advance(5 * 60_000);
    expect((await failure(kiosk.service.listPacks({ session }))).code).toBe('admin-required');
    kiosk.close();
  });

  it('ends sessions when the PIN is set from the command line while the kiosk runs', async () => {
    const kiosk = await tempKiosk();
    const session = await adminSession(kiosk.service);
    await setAdminPin(kiosk.db, '86420', kiosk.clock);
    expect((await failure(kiosk.service.listPacks({ session }))).code).toBe('admin-required');
    expect((await failure(kiosk.service.unlockAdmin({ pin: TEST_PIN }))).code).toBe('wrong-pin');
    const fresh = await kiosk.service.unlockAdmin({ pin: '86420' });
    await expect(kiosk.service.listPacks({ session: fresh.session })).resolves.toHaveLength(1);
    const set = auditRows(kiosk).find((r) => r.action === 'admin.pin.change');
    expect(set).toEqual({ actor: 'cli', action: 'admin.pin.change', ok: 1, detail: '{"via":"cli"}' });
    await expect(setAdminPin(kiosk.db, '12', kiosk.clock)).rejects.toMatchObject({ code: 'bad-request' });
    kiosk.close();
  });

  it('uses the shell for dialogs and quitting, and says what it can do', async () => {
    let exited = 0;
    const asked: string[] = [];
    const shell = {
      pickPath: async (purpose: string) => {
        asked.push(purpose);
        return purpose === 'export-folder' ? null : '/media/stick/pack.kpack';
      },
      exit: () => void (exited += 1),
    };
    const kiosk = await tempKiosk(tempDir(), { shell });
    expect((await kiosk.service.getAdminState()).capabilities).toEqual({ pickPath: true, exit: true });
    const session = await adminSession(kiosk.service);
    expect(await kiosk.service.pickPath({ session, purpose: 'pack-file' })).toBe('/media/stick/pack.kpack');
    expect(await kiosk.service.pickPath({ session, purpose: 'export-folder' })).toBeNull();
    expect(asked).toEqual(['pack-file', 'export-folder']);
    await kiosk.service.exitKiosk({ session });
    expect(exited).toBe(1);
    expect(auditRows(kiosk).at(-1)).toMatchObject({ actor: 'staff', action: 'kiosk.exit', ok: 1 });
    kiosk.close();

    const partial = await tempKiosk(tempDir(), { shell: { exit: () => {} } });
    expect((await partial.service.getAdminState()).capabilities).toEqual({ pickPath: false, exit: true });
    partial.close();
  });

  it('exports through the log exporter and audits what was written', async () => {
    const kiosk = await tempKiosk();
    const session = await adminSession(kiosk.service);
    const visit = await kiosk.service.startVisit({ locale: 'en' });
    await kiosk.service.endVisit({ visitId: visit.visitId, reason: 'completed' });
    const out = join(tempDir(), 'stick');
    const result = await kiosk.service.exportLogs({ session, format: 'csv', range: { kind: 'all' }, lang: 'en', outDir: out });
    expect(result).toMatchObject({ fromSeq: 1, toSeq: 2 });
    expect(result.files.length).toBeGreaterThan(0);
    for (const file of result.files) expect(readFileSync(file.path).length).toBe(file.bytes);
    expect((await kiosk.service.getStatus()).lastExport).toMatchObject({ format: 'csv', toSeq: 2 });
    const again = await kiosk.service.exportLogs({ session, format: 'csv', range: { kind: 'since-last' }, lang: 'en', outDir: out });
    expect(again).toMatchObject({ fromSeq: 3, toSeq: 2 });

    const entry = (await kiosk.service.getAuditLog({ session })).find((e) => e.action === 'export.write')!;
    expect(entry.detail).toMatchObject({ format: 'csv', range: { kind: 'since-last' }, fromSeq: 3, toSeq: 2, rows: 0 });
    const first = (await kiosk.service.getAuditLog({ session })).filter((e) => e.action === 'export.write').at(-1)!;
    expect(first.detail).toMatchObject({ range: { kind: 'all' }, rows: result.files.reduce((n, f) => n + f.rows, 0) });
    expect((first.detail.files as { name: string }[]).map((f) => f.name)).toEqual(result.files.map((f) => f.path.split('/').at(-1)));

    const backwards = await failure(
      kiosk.service.exportLogs({ session, format: 'csv', range: { kind: 'dates', from: '2026-12-02', to: '2026-12-01' }, lang: 'en', outDir: out }),
    );
    expect(backwards.code).toBe('bad-request');

    // A destination that cannot be written fails the call, is audited as failed, and records no export.
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, 'not a folder');
    const recorded = kiosk.db.prepare('SELECT COUNT(*) AS n FROM export').get();
    await failure(kiosk.service.exportLogs({ session, format: 'csv', range: { kind: 'all' }, lang: 'en', outDir: join(blocked, 'out') }));
    expect((await kiosk.service.getAuditLog({ session, limit: 1 }))[0]).toMatchObject({ action: 'export.write', ok: false, detail: { format: 'csv' } });
    expect(kiosk.db.prepare('SELECT COUNT(*) AS n FROM export').get()).toEqual(recorded);
    kiosk.close();
  });

  it('shows recoveries in the status and keeps them in the audit trail', async () => {
    const dataDir = tempDir();
    const first = await tempKiosk(dataDir);
    await first.service.startVisit({ locale: 'en' });
    // The renderer crashed: the shell reloads it and closes what it had open.
    await first.service.startVisit({ locale: 'zh-CN' });
    expect(first.recoverOpenVisits()).toBe(2);
    expect(first.recoverOpenVisits()).toBe(0);
    expect((await first.service.getStatus()).notices.map((n) => n.code)).toEqual(['renderer-recovered']);
    await first.service.startVisit({ locale: 'en' });
    // Killed without closing: the next start recovers the open visit.
    const second = await tempKiosk(dataDir, { clock: first.clock });
    expect((await second.service.getStatus()).notices.map((n) => n.code)).toEqual(['visits-recovered']);
    const session = await adminSession(second.service);
    const recoveries = (await second.service.getAuditLog({ session })).filter((e) => e.action === 'visits.recovered').reverse();
    expect(recoveries.map((e) => [e.actor, e.detail])).toEqual([
      ['system', { count: 2, cause: 'renderer' }],
      ['system', { count: 1, cause: 'start' }],
    ]);
    second.close();
    first.db.close();
  });
});

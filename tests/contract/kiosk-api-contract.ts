import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskApi } from '../../electron/common/kiosk-api';
import { verifyChain } from '../../electron/core/log/verify-chain';

export interface ContractSubject {
  api: KioskApi;
  db: Database;
  close(): Promise<void>;
}

const SESSION = /^[A-Za-z0-9_-]{43}$/;
/** Well formed, so it passes the transports' schemas, but never issued. */
const FORGED_SESSION = 'A'.repeat(43);

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * What every transport of KioskApi must do, run against core directly, through Electron's IPC pieces and
 * through the loopback host. `validates` is false for core itself, which trusts its typed callers.
 */
export function describeKioskApiContract(name: string, setup: () => Promise<ContractSubject>, validates: boolean): void {
  describe(`KioskApi contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.close();
    });

    it('serves the active pack and the settings', async () => {
      const pack = await subject.api.getPack();
      expect(pack.id).toBe('org.example.mini');
      expect(pack.version).toBe('1.0.0');
      expect(pack.manifest.exhibits.map((e) => e.id)).toEqual(['first', 'second']);
      const settings = await subject.api.getSettings();
      expect(settings.idleTimeoutSeconds).toBeGreaterThanOrEqual(5);
    });

    it('records a visit with its events, in order and hash-chained', async () => {
      const visit = await subject.api.startVisit({ locale: 'en' });
      expect(visit.visitId).toMatch(UUID_V7);
      const logged = await subject.api.logEvents({
        visitId: visit.visitId,
        events: [
          { type: 'exhibit.open', tMs: 1200, exhibitId: 'first', data: {} },
          { type: 'locale.change', tMs: 2500, data: { from: 'en', to: 'zh-CN' } },
        ],
      });
      expect(logged.acknowledged).toBe(2);
      const ended = await subject.api.endVisit({ visitId: visit.visitId, reason: 'idle' });
      expect(ended.durationMs).toBeGreaterThanOrEqual(0);

      const rows = subject.db.prepare('SELECT seq, type, exhibit_id, t_ms, data FROM event ORDER BY seq').all();
      expect(rows).toEqual([
        { seq: 1, type: 'visit.start', exhibit_id: null, t_ms: 0, data: '{"locale":"en"}' },
        { seq: 2, type: 'exhibit.open', exhibit_id: 'first', t_ms: 1200, data: '{}' },
        { seq: 3, type: 'locale.change', exhibit_id: null, t_ms: 2500, data: '{"from":"en","to":"zh-CN"}' },
        { seq: 4, type: 'visit.end', exhibit_id: null, t_ms: ended.durationMs, data: '{"reason":"idle"}' },
      ]);
      const visitRow = subject.db.prepare('SELECT pack_id, pack_version, locale, end_reason FROM visit').get();
      expect(visitRow).toEqual({ pack_id: 'org.example.mini', pack_version: '1.0.0', locale: 'en', end_reason: 'idle' });
      expect(verifyChain(subject.db)).toMatchObject({ ok: true, events: 4 });
    });

    it('answers a repeated endVisit with the first ending', async () => {
      const visit = await subject.api.startVisit({ locale: 'zh-CN' });
      const first = await subject.api.endVisit({ visitId: visit.visitId, reason: 'home' });
      const second = await subject.api.endVisit({ visitId: visit.visitId, reason: 'idle' });
      expect(second).toEqual(first);
      expect(subject.db.prepare("SELECT COUNT(*) AS n FROM event WHERE type = 'visit.end'").get()).toEqual({ n: 1 });
    });

    it('refuses events for an ended or unknown visit and writes nothing', async () => {
      const visit = await subject.api.startVisit({ locale: 'zh-CN' });
      await subject.api.endVisit({ visitId: visit.visitId, reason: 'completed' });
      const ended = await rejection(
        subject.api.logEvents({ visitId: visit.visitId, events: [{ type: 'exhibit.open', tMs: 5, exhibitId: 'first', data: {} }] }),
      );
      expect(ended.code).toBe('bad-request');
      const unknown = await rejection(
        subject.api.logEvents({
          visitId: '01900000-0000-7000-8000-000000000000',
          events: [{ type: 'exhibit.open', tMs: 5, exhibitId: 'first', data: {} }],
        }),
      );
      expect(unknown.code).toBe('not-found');
      expect(subject.db.prepare('SELECT COUNT(*) AS n FROM event').get()).toEqual({ n: 2 });
    });

    it('reports its status', async () => {
      await subject.api.startVisit({ locale: 'en' });
      const status = await subject.api.getStatus();
      expect(status.pack).toEqual({ id: 'org.example.mini', version: '1.0.0' });
      expect(status.visitsTotal).toBe(1);
      expect(status.eventsTotal).toBe(1);
      expect(status.kioskId).toMatch(/^[0-9a-f-]{36}$/);
      expect(status.databaseBytes).toBeGreaterThan(0);
    });

    it('sets the kiosk up once, then opens, keeps and ends admin sessions with the PIN', async () => {
      const { api } = subject;
      expect(await api.getAdminState()).toEqual({
        setupNeeded: true,
        lockedUntil: null,
        failedAttempts: 0,
        capabilities: { pickPath: false, exit: false },
      });
      expect((await rejection(api.unlockAdmin({ pin: '2468' }))).code).toBe('forbidden');
      expect((await rejection(api.listPacks({ session: FORGED_SESSION }))).code).toBe('admin-required');

      const setup = await api.setupKiosk({ pin: '2468', label: 'Lobby kiosk', location: 'Hall A' });
      expect(setup.session).toMatch(SESSION);
      expect(setup.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect((await api.getAdminState()).setupNeeded).toBe(false);
      expect((await rejection(api.setupKiosk({ pin: '1111', label: 'x', location: 'y' }))).code).toBe('forbidden');
      expect(await api.getStatus()).toMatchObject({ label: 'Lobby kiosk', location: 'Hall A' });

      // The session opens the admin methods; settings and the kiosk's name apply without a restart.
      expect((await api.listPacks({ session: setup.session })).map((p) => p.id)).toEqual(['org.example.mini']);
      const settings = await api.updateSettings({ session: setup.session, patch: { volume: 0.25, idleTimeoutSeconds: 120 } });
      expect(settings).toMatchObject({ volume: 0.25, idleTimeoutSeconds: 120 });
      expect(await api.getSettings()).toEqual(settings);
      await api.setKioskInfo({ session: setup.session, label: 'Front desk', location: 'Hall B' });
      expect(await api.getStatus()).toMatchObject({ label: 'Front desk', location: 'Hall B' });

      // A wrong PIN is counted, a right one clears the count.
      expect((await rejection(api.unlockAdmin({ pin: '0000' }))).code).toBe('wrong-pin');
      expect(await api.getAdminState()).toMatchObject({ failedAttempts: 1, lockedUntil: null });
      const second = await api.unlockAdmin({ pin: '2468' });
      expect(second.session).not.toBe(setup.session);
      expect((await api.getAdminState()).failedAttempts).toBe(0);

      // A PIN change ends every other session; the one that changed it carries on.
      expect((await rejection(api.changePin({ session: second.session, currentPin: '1357', newPin: '97531' }))).code).toBe('wrong-pin');
      await api.changePin({ session: second.session, currentPin: '2468', newPin: '97531' });
      expect((await rejection(api.listPacks({ session: setup.session }))).code).toBe('admin-required');
      expect((await api.listPacks({ session: second.session })).length).toBe(1);
      expect((await rejection(api.unlockAdmin({ pin: '2468' }))).code).toBe('wrong-pin');
      const third = await api.unlockAdmin({ pin: '97531' });

      // This shell has no dialogs and cannot quit: the admin screen offers the alternatives.
      expect((await rejection(api.pickPath({ session: third.session, purpose: 'pack-folder' }))).code).toBe('unsupported');
      expect((await rejection(api.exitKiosk({ session: third.session }))).code).toBe('unsupported');

      const audit = await api.getAuditLog({ session: third.session });
      expect(audit.map((e) => `${e.actor} ${e.action} ${e.ok ? 'ok' : 'failed'}`).reverse()).toEqual([
        'staff admin.setup ok',
        'staff settings.update ok',
        'staff kiosk.info ok',
        'staff admin.unlock failed',
        'staff admin.unlock ok',
        'staff admin.pin.change failed',
        'staff admin.pin.change ok',
        'staff admin.unlock failed',
        'staff admin.unlock ok',
      ]);
      expect(audit.find((e) => e.action === 'settings.update')!.detail).toEqual({
        changes: { volume: { from: 0.8, to: 0.25 }, idleTimeoutSeconds: { from: 90, to: 120 } },
      });
      const trail = JSON.stringify(subject.db.prepare('SELECT * FROM audit').all());
      for (const pin of ['2468', '0000', '1357', '97531']) expect(trail).not.toContain(pin);

      await api.lockAdmin({ session: third.session });
      expect((await rejection(api.getAuditLog({ session: third.session }))).code).toBe('admin-required');
      expect((await rejection(api.lockAdmin({ session: third.session }))).code).toBe('admin-required');
    });

    if (validates) {
      it('refuses malformed PINs and sessions before the kiosk sees them', async () => {
        const shortPin = await rejection(subject.api.setupKiosk({ pin: '12', label: 'a', location: 'b' }));
        expect(shortPin.code).toBe('bad-request');
        expect(shortPin.message).toMatch(/4 to 12 digits/);
        expect((await rejection(subject.api.unlockAdmin({ pin: '12ab' }))).code).toBe('bad-request');
        expect((await rejection(subject.api.listPacks({ session: 'short' }))).code).toBe('bad-request');
        expect((await subject.api.getAdminState()).setupNeeded).toBe(true);
      });

      it('rejects bad arguments with a readable message and writes nothing', async () => {
        const badLocale = await rejection(subject.api.startVisit({ locale: 'fr' } as never));
        expect(badLocale.code).toBe('bad-request');
        expect(badLocale.message).toMatch(/locale/);
        const visit = await subject.api.startVisit({ locale: 'en' });
        const serviceOnly = await rejection(
          subject.api.logEvents({ visitId: visit.visitId, events: [{ type: 'visit.end', tMs: 1, data: { reason: 'idle' } }] as never }),
        );
        expect(serviceOnly.code).toBe('bad-request');
        const badData = await rejection(
          subject.api.logEvents({ visitId: visit.visitId, events: [{ type: 'quiz.answer', tMs: 1, data: { chosen: 'a' } }] as never }),
        );
        expect(badData.message).toMatch(/chosen|correct/);
        expect(subject.db.prepare('SELECT COUNT(*) AS n FROM event').get()).toEqual({ n: 1 });
      });
    }
  });
}

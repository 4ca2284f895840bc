import { afterEach, describe, expect, it, vi } from 'vitest';
import { KioskSession } from '../../renderer/src/state/kiosk-session.svelte';
import { tempKiosk, TEST_PIN } from '../helpers/temp-kiosk';

/** The visitor session's side of the admin: settings applied live, the idle timer held off, a fresh start. */
describe('KioskSession and the staff admin', () => {
  afterEach(() => vi.useRealTimers());

  it('saved settings change the running idle timer, the attract language and the volume at once', async () => {
    const kiosk = await tempKiosk();
    const session = new KioskSession(kiosk.service);
    await session.load();
    const { session: admin } = await kiosk.service.setupKiosk({ pin: TEST_PIN, label: 'k', location: 'l' });
    const settings = await kiosk.service.updateSettings({ session: admin, patch: { idleTimeoutSeconds: 5, defaultLocale: 'en', volume: 0.3 } });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    session.applySettings(settings);
    expect([session.locale, session.volume]).toEqual(['en', 0.3]);
    session.begin();
    await vi.advanceTimersByTimeAsync(4_900);
    expect(session.idle.phase).toBe('active');
    await vi.advanceTimersByTimeAsync(200);
    expect(session.idle.phase).toBe('warning'); // after 5 s, not the default 90 s
    session.idle.stop();
    kiosk.close();
  });

  it('while the admin is open the visitor timer cannot reset the kiosk; leaving ends the visit and starts fresh', async () => {
    const kiosk = await tempKiosk();
    const session = new KioskSession(kiosk.service);
    await session.load();
    await session.startIn('en');
    session.largeText = true;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    session.suspendForAdmin();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect([session.screen.name, session.idle.phase]).toEqual(['home', 'off']);
    vi.useRealTimers();
    await session.startFresh();
    expect([session.screen.name, session.locale, session.largeText]).toEqual(['attract', 'zh-CN', false]);
    const visits = kiosk.db.prepare('SELECT end_reason FROM visit').all();
    expect(visits).toEqual([{ end_reason: 'home' }]);
    kiosk.close();
  });

  it('a cancelled PIN pad resumes a visit under way, but leaves the attract loop alone', async () => {
    const kiosk = await tempKiosk();
    const session = new KioskSession(kiosk.service);
    await session.load();
    session.suspendForAdmin();
    session.resumeVisit();
    expect(session.idle.phase).toBe('off'); // nobody was visiting: the attract loop needs no timer
    await session.startIn('zh-CN');
    session.suspendForAdmin();
    session.resumeVisit();
    expect(session.idle.phase).toBe('active');
    session.idle.stop();
    kiosk.close();
  });
});

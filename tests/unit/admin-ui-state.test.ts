import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskSettings } from '../../electron/common/kiosk-api';
import type { Locale } from '../../electron/common/locales';
import { formatBytes, formatCountdown } from '../../renderer/src/lib/admin-format';
import { adminText, describeError } from '../../renderer/src/lib/admin-text';
import { pinMessage } from '../../renderer/src/screens/admin/pin-message';
import { AdminConsole, type AdminHost } from '../../renderer/src/state/admin-console.svelte';
import { KioskSetup, PinChange } from '../../renderer/src/state/admin-forms.svelte';
import { IDLE_TIMEOUT_STEPS, stepClock, stepDate, stepThrough, stepVolume } from '../../renderer/src/state/admin-steppers';
import { CornerTapCounter } from '../../renderer/src/state/corner-taps';
import { KioskError } from '../../electron/common/envelope';
import { tempKiosk, TEST_PIN } from '../helpers/temp-kiosk';

describe('the hidden corner gesture', () => {
  it('opens on the fifth tap within three seconds, then starts over', () => {
    const taps = new CornerTapCounter();
    expect([0, 400, 800, 1200].map((t) => taps.tap(t))).toEqual([false, false, false, false]);
    expect(taps.tap(2900)).toBe(true);
    expect(taps.tap(3000)).toBe(false); // a sixth tap is the first of a new gesture
  });

  it('four taps, or five slow ones, do nothing', () => {
    const four = new CornerTapCounter();
    expect([0, 100, 200, 300].some((t) => four.tap(t))).toBe(false);
    const slow = new CornerTapCounter();
    // One tap every 800 ms: five taps take 3.2 s, and a long run of them never adds up.
    expect(Array.from({ length: 20 }, (_, i) => slow.tap(i * 800)).some(Boolean)).toBe(false);
  });

  it('only the taps inside the window count', () => {
    const taps = new CornerTapCounter();
    for (const t of [0, 1000, 2000]) taps.tap(t);
    // The first two fall out of the window; three more within it are not yet five.
    expect([3100, 3200, 3300].map((t) => taps.tap(t))).toEqual([false, false, true]);
  });
});

describe('admin steppers', () => {
  it('steps idle timeouts through the listed choices and stops at the ends', () => {
    expect(stepThrough(IDLE_TIMEOUT_STEPS, 90, 1)).toBe(120);
    expect(stepThrough(IDLE_TIMEOUT_STEPS, 90, -1)).toBe(60);
    expect(stepThrough(IDLE_TIMEOUT_STEPS, 100, -1)).toBe(90); // between choices: the nearest one below
    expect(stepThrough(IDLE_TIMEOUT_STEPS, 5, -1)).toBe(5);
    expect(stepThrough(IDLE_TIMEOUT_STEPS, 3600, 1)).toBe(3600);
  });

  it('steps volume in exact tenths within 0–1', () => {
    expect(stepVolume(0.7, 1)).toBe(0.8);
    expect(stepVolume(0.8, 1)).toBe(0.9);
    expect(stepVolume(1, 1)).toBe(1);
    expect(stepVolume(0.04, -1)).toBe(0);
  });

  it('moves the nightly restart by hours and quarter hours, around midnight', () => {
    expect(stepClock('03:00', 'hour', 1)).toBe('04:00');
    expect(stepClock('00:30', 'hour', -1)).toBe('23:30');
    expect(stepClock('23:45', 'minute', 1)).toBe('00:00');
    expect(stepClock('02:07', 'minute', 1)).toBe('02:15');
    expect(stepClock('02:07', 'minute', -1)).toBe('02:00');
  });

  it('moves export dates across month and year ends', () => {
    expect(stepDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(stepDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(stepDate('2026-11-30', -6)).toBe('2026-11-24');
  });
});

describe('first-start setup and PIN change forms', () => {
  it('setup asks for the PIN twice, then label and location', () => {
    const setup = new KioskSetup();
    setup.choosePin('123'); // too short: nothing happens
    expect(setup.step).toBe('pin');
    setup.choosePin('2468');
    expect(setup.repeatPin('2469')).toBe(false);
    expect([setup.step, setup.problem]).toEqual(['pin', 'pins-differ']);
    setup.choosePin('2468');
    expect(setup.repeatPin('2468')).toBe(true);
    expect(setup.step).toBe('label');
    expect(setup.canContinue).toBe(false);
    setup.next();
    expect(setup.step).toBe('label'); // a blank label does not move on
    setup.label = ' Hall A ';
    setup.next();
    expect(setup.args).toBeNull(); // no location yet
    setup.location = 'East wing';
    expect(setup.args).toEqual({ pin: '2468', label: 'Hall A', location: 'East wing' });
    setup.back();
    expect(setup.step).toBe('label');
  });

  it('a PIN change needs the current PIN and the same new PIN twice', () => {
    const change = new PinChange();
    expect(change.enter('2468')).toBeNull();
    expect(change.enter('1357')).toBeNull();
    expect(change.enter('1358')).toBeNull();
    expect([change.step, change.problem]).toEqual(['next', 'pins-differ']);
    expect(change.enter('1357')).toBeNull();
    expect(change.enter('1357')).toEqual({ currentPin: '2468', newPin: '1357' });
  });
});

describe('admin wording', () => {
  it('formats sizes and countdowns for staff', () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(5 * 1024 ** 3), formatBytes(null)]).toEqual(['0 B', '1.5 KB', '5 GB', null]);
    expect(formatCountdown(59.2)).toBe('1:00');
    expect(formatCountdown(125)).toBe('2:05');
  });

  it('says why the PIN pad did not open, in both languages, a lockout first', () => {
    const en = adminText('en');
    expect(pinMessage({ kind: 'wrong', attemptsLeft: 2 }, 0, en)).toBe('Wrong PIN. 2 attempts before a lockout.');
    expect(pinMessage({ kind: 'wrong', attemptsLeft: 2 }, 0, adminText('zh-CN'))).toBe('密码错误。再错 2 次将被锁定。');
    expect(pinMessage({ kind: 'locked' }, 30, en)).toBe('Too many wrong PINs. Try again in 0:30.');
    expect(pinMessage(null, 0, en)).toBeNull();
  });

  it('words a kiosk error in the staff language with the detail after it', () => {
    expect(describeError(new KioskError('not-found', 'E:\\pack is missing'), adminText('en'))).toBe('That file or folder was not found. (E:\\pack is missing)');
    expect(describeError(new Error('boom'), adminText('zh-CN'))).toBe('操作失败。 (boom)');
  });
});

/** The visitor side as the admin sees it, recording what the admin asked of it. */
function fakeHost(): AdminHost & { calls: string[]; settings: KioskSettings | null } {
  const calls: string[] = [];
  return {
    calls,
    settings: null,
    locale: 'en' as Locale,
    suspendForAdmin: () => calls.push('suspend'),
    resumeVisit: () => calls.push('resume'),
    startFresh: async () => void calls.push('fresh'),
    applySettings(settings) {
      this.settings = settings;
      calls.push('settings');
    },
  };
}

describe('AdminConsole against the real kiosk core', () => {
  afterEach(() => vi.useRealTimers());

  it('first start: setup is shown before any visitor, then the admin opens and leaving starts fresh', async () => {
    const kiosk = await tempKiosk();
    const host = fakeHost();
    const admin = new AdminConsole(kiosk.service, host, { clock: () => kiosk.clock.now() });
    await admin.checkSetup();
    expect([admin.ready, admin.view, host.calls]).toEqual([true, 'setup', ['suspend']]);
    await admin.setup({ pin: TEST_PIN, label: 'Hall A', location: 'East' });
    expect(admin.view).toBe('open');
    expect((await kiosk.service.getStatus()).label).toBe('Hall A');
    await admin.leave();
    expect([admin.view, host.calls]).toEqual(['closed', ['suspend', 'fresh']]);
    // The session was locked: it no longer works.
    await expect(admin.call((session) => kiosk.service.listPacks({ session }))).rejects.toMatchObject({ code: 'admin-required' });
    kiosk.close();
  });

  it('wrong PINs count down to a lockout that refuses even the right PIN until it ends', async () => {
    const kiosk = await tempKiosk();
    await kiosk.service.setupKiosk({ pin: TEST_PIN, label: 'k', location: 'l' });
    const host = fakeHost();
    const admin = new AdminConsole(kiosk.service, host, { clock: () => kiosk.clock.now(), freeAttempts: 3 });
    await admin.checkSetup();
    expect(admin.view).toBe('closed');
    await admin.openFromGesture();
    expect(admin.view).toBe('pin');
    expect(await admin.submitPin('1111')).toBe(false);
    expect(admin.notice).toEqual({ kind: 'wrong', attemptsLeft: 2 });
    await admin.submitPin('1111');
    expect(admin.notice).toEqual({ kind: 'wrong', attemptsLeft: 1 });
    await admin.submitPin('1111');
    expect(admin.notice).toEqual({ kind: 'locked' });
    expect(admin.lockoutSecondsLeft).toBe(30);
    expect(await admin.submitPin(TEST_PIN)).toBe(false); // refused here, without even asking
    kiosk.clock.advance(31_000);
    await admin.refreshState();
    expect(admin.lockoutSecondsLeft).toBe(0);
    expect(await admin.submitPin(TEST_PIN)).toBe(true);
    expect([admin.view, admin.tab]).toEqual(['open', 'status']);
    await admin.leave();
    kiosk.close();
  });

  it('cancelling the PIN pad hands the kiosk back to the visitor; an expired session brings the PIN pad back', async () => {
    const kiosk = await tempKiosk();
    await kiosk.service.setupKiosk({ pin: TEST_PIN, label: 'k', location: 'l' });
    const host = fakeHost();
    const admin = new AdminConsole(kiosk.service, host, { clock: () => kiosk.clock.now() });
    await admin.openFromGesture();
    admin.cancelPin();
    expect([admin.view, host.calls]).toEqual(['closed', ['suspend', 'resume']]);

    await admin.openFromGesture();
    await admin.submitPin(TEST_PIN);
    kiosk.clock.advance(60 * 60_000); // the server ends idle sessions on its own
    await expect(admin.call((session) => kiosk.service.listPacks({ session }))).rejects.toMatchObject({ code: 'admin-required' });
    expect([admin.view, admin.notice]).toEqual(['pin', { kind: 'session-ended' }]);
    // Staff walk away from it: this time the visitor UI starts fresh rather than resuming a half-visit.
    admin.cancelPin();
    expect(host.calls.at(-1)).toBe('fresh');
    kiosk.close();
  });

  it('an untouched admin leaves by itself; touches keep it open', async () => {
    const kiosk = await tempKiosk();
    await kiosk.service.setupKiosk({ pin: TEST_PIN, label: 'k', location: 'l' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const host = fakeHost();
    const admin = new AdminConsole(kiosk.service, host, { adminIdleMs: 1000, pinIdleMs: 500, clock: () => kiosk.clock.now() });
    await admin.openFromGesture();
    await admin.submitPin(TEST_PIN);
    await vi.advanceTimersByTimeAsync(800);
    admin.poke();
    await vi.advanceTimersByTimeAsync(800);
    expect(admin.view).toBe('open');
    await vi.advanceTimersByTimeAsync(300);
    expect(admin.view).toBe('closed');
    expect(host.calls.at(-1)).toBe('fresh');
    // A PIN pad left alone closes sooner, and resumes the visit.
    await admin.openFromGesture();
    await vi.advanceTimersByTimeAsync(600);
    expect([admin.view, host.calls.at(-1)]).toEqual(['closed', 'resume']);
    kiosk.close();
  });

  it('saved settings reach the visitor side at once', async () => {
    const kiosk = await tempKiosk();
    await kiosk.service.setupKiosk({ pin: TEST_PIN, label: 'k', location: 'l' });
    const host = fakeHost();
    const admin = new AdminConsole(kiosk.service, host, { clock: () => kiosk.clock.now() });
    await admin.openFromGesture();
    await admin.submitPin(TEST_PIN);
    const settings = await admin.call((session) => kiosk.service.updateSettings({ session, patch: { idleTimeoutSeconds: 20 } }));
    admin.applySettings(settings);
    expect(host.settings?.idleTimeoutSeconds).toBe(20);
    await admin.leave();
    kiosk.close();
  });
});

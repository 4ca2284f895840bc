import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  decideNightlyRestart,
  MAX_POSTPONE_MS,
  NIGHTLY_CHECK_MS,
  NIGHTLY_IDLE,
  nextRestartAt,
  openVisitProbe,
  scheduleNightlyRestart,
  type NightlyState,
} from '../../electron/core/nightly-restart';
import { tempKiosk } from '../helpers/temp-kiosk';

// Local wall-clock behaviour is what matters, so these run in a zone with daylight saving.
const savedTz = process.env.TZ;
beforeAll(() => void (process.env.TZ = 'Europe/Berlin'));
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const local = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => new Date(y, mo - 1, d, h, mi, s);
const HOUR = 3_600_000;

describe('next restart time', () => {
  it('is later today if the time is still ahead, else tomorrow, never now', () => {
    expect(nextRestartAt('03:00', local(2026, 6, 10, 1, 0))).toEqual(local(2026, 6, 10, 3, 0));
    expect(nextRestartAt('03:00', local(2026, 6, 10, 3, 0))).toEqual(local(2026, 6, 11, 3, 0));
    expect(nextRestartAt('03:00', local(2026, 6, 10, 14, 0))).toEqual(local(2026, 6, 11, 3, 0));
  });

  it('crosses midnight and month ends', () => {
    expect(nextRestartAt('00:30', local(2026, 6, 10, 23, 50))).toEqual(local(2026, 6, 11, 0, 30));
    expect(nextRestartAt('00:30', local(2026, 1, 31, 23, 50))).toEqual(local(2026, 2, 1, 0, 30));
    expect(nextRestartAt('23:59', local(2026, 12, 31, 23, 59, 30))).toEqual(local(2027, 1, 1, 23, 59));
  });

  it('keeps the local time across daylight saving changes', () => {
    // Spring forward (29 March 2026 in Berlin): 03:00 local is 23 hours after 03:00 the day before.
    const before = local(2026, 3, 28, 3, 0);
    const next = nextRestartAt('03:00', before);
    expect([next.getHours(), next.getMinutes(), next.getDate()]).toEqual([3, 0, 29]);
    expect(next.getTime() - before.getTime()).toBe(23 * HOUR);
    // 02:30 does not exist that night: the restart moves forward with the clock, and happens once.
    const skipped = nextRestartAt('02:30', local(2026, 3, 29, 0, 0));
    expect(skipped.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(nextRestartAt('02:30', skipped)).toEqual(local(2026, 3, 30, 2, 30));
    // Fall back (25 October 2026): 02:30 happens twice; the restart happens at the first one only.
    const first = nextRestartAt('02:30', local(2026, 10, 25, 0, 0));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextRestartAt('02:30', first).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });
});

describe('nightly restart decision', () => {
  const noVisit = () => false;
  const visitOpen = () => true;

  it('is off without a time and waits until the time comes, checking at least every minute', () => {
    expect(decideNightlyRestart(null, NIGHTLY_IDLE, local(2026, 6, 10, 3, 0), noVisit)).toMatchObject({ action: { kind: 'off' } });
    const early = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 2, 59, 30), noVisit);
    expect(early.action).toEqual({ kind: 'wait' });
    expect(early.nextCheckMs).toBe(30_000);
    expect(decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 1, 0), noVisit).nextCheckMs).toBe(NIGHTLY_CHECK_MS);
  });

  it('restarts when due and no visit is open, then looks to tomorrow', () => {
    const waiting = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 2, 59), noVisit).state;
    const due = decideNightlyRestart('03:00', waiting, local(2026, 6, 10, 3, 0, 5), noVisit);
    expect(due.action).toEqual({ kind: 'restart', forced: false });
    expect(due.state.dueAt).toEqual(local(2026, 6, 11, 3, 0));
  });

  it('postpones minute by minute while a visit is open, restarting as soon as it ends', () => {
    let state: NightlyState = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 2, 59), visitOpen).state;
    const hasOpen = vi.fn(visitOpen);
    for (let minute = 0; minute < 10; minute += 1) {
      const step = decideNightlyRestart('03:00', state, local(2026, 6, 10, 3, minute), hasOpen);
      expect(step.action).toEqual({ kind: 'postpone' });
      expect(step.nextCheckMs).toBe(60_000);
      state = step.state;
    }
    expect(hasOpen).toHaveBeenCalledTimes(10);
    expect(decideNightlyRestart('03:00', state, local(2026, 6, 10, 3, 10), noVisit).action).toEqual({ kind: 'restart', forced: false });
  });

  it('goes ahead after an hour of a visit that never ends (a frozen or abandoned one)', () => {
    let state = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 2, 59), visitOpen).state;
    let forcedAt: Date | null = null;
    for (let minute = 0; minute <= 60 && !forcedAt; minute += 1) {
      const at = new Date(local(2026, 6, 10, 3, 0).getTime() + minute * 60_000);
      const step = decideNightlyRestart('03:00', state, at, visitOpen);
      if (step.action.kind === 'restart') {
        expect(step.action.forced).toBe(true);
        forcedAt = at;
      }
      state = step.state;
    }
    expect(forcedAt).toEqual(new Date(local(2026, 6, 10, 3, 0).getTime() + MAX_POSTPONE_MS));
  });

  it('skips a restart the kiosk slept through instead of restarting in opening hours', () => {
    const waiting = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 2, 0), noVisit).state;
    const morning = decideNightlyRestart('03:00', waiting, local(2026, 6, 10, 9, 0), noVisit);
    expect(morning.action).toEqual({ kind: 'missed' });
    expect(morning.state.dueAt).toEqual(local(2026, 6, 11, 3, 0));
  });

  it('takes a changed time from the settings at the next check', () => {
    const waiting = decideNightlyRestart('03:00', NIGHTLY_IDLE, local(2026, 6, 10, 1, 0), noVisit).state;
    const changed = decideNightlyRestart('01:30', waiting, local(2026, 6, 10, 1, 1), noVisit);
    expect(changed.state.dueAt).toEqual(local(2026, 6, 10, 1, 30));
    expect(decideNightlyRestart(null, changed.state, local(2026, 6, 10, 1, 30), noVisit).action).toEqual({ kind: 'off' });
  });
});

describe('nightly restart scheduler', () => {
  afterEach(() => void vi.useRealTimers());

  it('re-reads the setting on every check and restarts once at the new time', async () => {
    vi.useFakeTimers({ now: local(2026, 6, 10, 1, 0) });
    let time: string | null = null;
    const restart = vi.fn();
    const log = vi.fn();
    const scheduler = scheduleNightlyRestart({ readTime: () => time, hasOpenVisit: () => false, restart, log });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(restart).not.toHaveBeenCalled();
    time = '03:30';
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(restart).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(restart).toHaveBeenCalledWith({ forced: false });
    await vi.advanceTimersByTimeAsync(12 * HOUR);
    expect(restart).toHaveBeenCalledTimes(1);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('Nightly restart.');
  });

  it('waits for the open visit to end', async () => {
    vi.useFakeTimers({ now: local(2026, 6, 10, 2, 58) });
    let open = true;
    const restart = vi.fn();
    const log = vi.fn();
    const scheduler = scheduleNightlyRestart({ readTime: () => '03:00', hasOpenVisit: () => open, restart, log });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(restart).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('Nightly restart postponed by a minute: a visit is open.');
    open = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restart).toHaveBeenCalledTimes(1);
    scheduler.stop();
  });

  it('reports a failing settings read and keeps checking', async () => {
    vi.useFakeTimers({ now: local(2026, 6, 10, 2, 58) });
    let fail = true;
    const restart = vi.fn();
    const log = vi.fn();
    const scheduler = scheduleNightlyRestart({
      readTime: () => {
        if (fail) throw new Error('settings unreadable');
        return '03:00';
      },
      hasOpenVisit: () => false,
      restart,
      log,
    });
    expect(log).toHaveBeenCalledWith('Nightly restart check failed: settings unreadable');
    fail = false;
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(restart).toHaveBeenCalledTimes(1);
    scheduler.stop();
  });
});

describe('open-visit probe', () => {
  it('tells whether a visit is open in the log', async () => {
    const kiosk = await tempKiosk();
    const probe = openVisitProbe(kiosk.db);
    expect(probe()).toBe(false);
    const { visitId } = await kiosk.service.startVisit({ locale: 'en' });
    expect(probe()).toBe(true);
    await kiosk.service.endVisit({ visitId, reason: 'completed' });
    expect(probe()).toBe(false);
    kiosk.close();
  });
});

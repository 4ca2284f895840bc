import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CRASH_POLICY, planRecovery, watchRenderer, type RecoverableContents } from '../../electron/main/crash-recovery';
import { tempKiosk } from '../helpers/temp-kiosk';

type Listener = (...args: never[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  const emit = (name: string, ...args: unknown[]) => {
    for (const listener of listeners.get(name) ?? []) (listener as (...a: unknown[]) => void)(...args);
  };
  const contents = {
    on(name: string, listener: Listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
    },
    reload: vi.fn(() => {}),
    // Like Electron: killing the renderer reports it gone.
    forcefullyCrashRenderer: vi.fn(() => emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 })),
    isDestroyed: () => false,
  } satisfies RecoverableContents;
  const crash = (reason = 'crashed') => emit('render-process-gone', {}, { reason, exitCode: 139 });
  return { contents, emit, crash };
}

function setup(policy = {}) {
  const { contents, emit, crash } = fakeContents();
  const recoverOpenVisits = vi.fn(() => 1);
  const relaunch = vi.fn(() => {});
  const log = vi.fn();
  const watcher = watchRenderer(contents, { recoverOpenVisits, relaunch, log, policy });
  return { contents, emit, crash, recoverOpenVisits, relaunch, log, watcher };
}

describe('crash-recovery backoff plan', () => {
  const policy = DEFAULT_CRASH_POLICY;

  it('reloads after a pause that doubles with each crash in the window, then relaunches', () => {
    let crashes: number[] = [];
    const delays: unknown[] = [];
    for (const at of [0, 5_000]) {
      const decided = planRecovery(crashes, at, { ...policy, maxCrashes: 4 });
      crashes = decided.crashes;
      delays.push(decided.plan);
    }
    const third = planRecovery(crashes, 9_000, { ...policy, maxCrashes: 4 });
    expect(delays).toEqual([
      { action: 'reload', delayMs: 1000 },
      { action: 'reload', delayMs: 2000 },
    ]);
    expect(third.plan).toEqual({ action: 'reload', delayMs: 4000 });
    expect(planRecovery(third.crashes, 10_000, { ...policy, maxCrashes: 4 })).toEqual({ plan: { action: 'relaunch' }, crashes: [] });
  });

  it('caps the pause', () => {
    const many = Array.from({ length: 10 }, (_, i) => i);
    expect(planRecovery(many, 20, { ...policy, maxCrashes: 100 }).plan).toEqual({ action: 'reload', delayMs: policy.maxDelayMs });
  });

  it('forgets crashes older than the window, so a rare crash always gets the quick reload', () => {
    const old = [0, 1000];
    const later = policy.windowMs + 1000;
    expect(planRecovery(old, later, policy)).toEqual({ plan: { action: 'reload', delayMs: 1000 }, crashes: [later] });
  });
});

describe('renderer watcher', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('reloads a crashed page after the backoff and closes its open visit as recovered', () => {
    const { contents, crash, recoverOpenVisits } = setup();
    crash();
    expect(recoverOpenVisits).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(contents.reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(contents.reload).toHaveBeenCalledTimes(1);
    crash();
    vi.advanceTimersByTime(1999);
    expect(contents.reload).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(contents.reload).toHaveBeenCalledTimes(2);
  });

  it('relaunches the app after N crashes within the window, and not before', () => {
    const { contents, crash, relaunch, recoverOpenVisits, log } = setup({ maxCrashes: 3 });
    crash();
    vi.advanceTimersByTime(1000);
    crash('oom');
    vi.advanceTimersByTime(2000);
    expect(relaunch).not.toHaveBeenCalled();
    crash();
    expect(relaunch).toHaveBeenCalledTimes(1);
    expect(recoverOpenVisits).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenLastCalledWith(expect.stringContaining('relaunching the app'));
    // After deciding to relaunch it no longer reloads or relaunches again.
    crash();
    vi.advanceTimersByTime(60_000);
    expect(contents.reload).toHaveBeenCalledTimes(2);
    expect(relaunch).toHaveBeenCalledTimes(1);
  });

  it('resets the count after a quiet period', () => {
    const { contents, crash, relaunch } = setup({ maxCrashes: 3, windowMs: 60_000 });
    crash();
    vi.advanceTimersByTime(1000);
    crash();
    vi.advanceTimersByTime(61_000);
    crash();
    expect(relaunch).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(contents.reload).toHaveBeenCalledTimes(3);
  });

  it('kills a page that stays hung past the grace time, then reloads it like a crash', () => {
    const { contents, emit, recoverOpenVisits } = setup({ unresponsiveGraceMs: 5000 });
    emit('unresponsive');
    vi.advanceTimersByTime(4999);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
    expect(recoverOpenVisits).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(contents.reload).toHaveBeenCalledTimes(1);
  });

  it('leaves a page alone that becomes responsive again', () => {
    const { contents, emit } = setup({ unresponsiveGraceMs: 5000 });
    emit('unresponsive');
    vi.advanceTimersByTime(3000);
    emit('responsive');
    vi.advanceTimersByTime(10_000);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });

  it('ignores a clean exit and anything after stop (the app is quitting)', () => {
    const { contents, crash, recoverOpenVisits, watcher } = setup();
    crash('clean-exit');
    vi.advanceTimersByTime(5000);
    expect(recoverOpenVisits).not.toHaveBeenCalled();
    crash();
    watcher.stop();
    vi.advanceTimersByTime(5000);
    expect(contents.reload).not.toHaveBeenCalled();
  });
});

describe('recoverOpenVisits on a real log', () => {
  it('closes the visit the crashed page had open as recovered, once', async () => {
    const kiosk = await tempKiosk();
    const { visitId } = await kiosk.service.startVisit({ locale: 'en' });
    expect(kiosk.recoverOpenVisits()).toBe(1);
    expect(kiosk.recoverOpenVisits()).toBe(0);
    const row = kiosk.db.prepare('SELECT end_reason FROM visit WHERE visit_id = ?').get(visitId) as { end_reason: string };
    expect(row.end_reason).toBe('recovered');
    kiosk.close();
  });
});

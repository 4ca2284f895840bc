import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleTimer } from '../../renderer/src/state/idle-timer.svelte';

describe('IdleTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const make = (onExpire = vi.fn()) => ({ timer: new IdleTimer(10_000, 3_000, onExpire, () => Date.now()), onExpire });

  it('warns after the idle time, counts down, then expires once', () => {
    const { timer, onExpire } = make();
    timer.start();
    expect(timer.phase).toBe('active');
    vi.advanceTimersByTime(9_999);
    expect(timer.phase).toBe('active');
    vi.advanceTimersByTime(1);
    expect(timer.phase).toBe('warning');
    expect(timer.secondsLeft).toBe(3);
    vi.advanceTimersByTime(1_250);
    expect(timer.secondsLeft).toBe(2);
    vi.advanceTimersByTime(2_000);
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(timer.phase).toBe('off');
    vi.advanceTimersByTime(60_000);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it('starts over on a touch, even during the countdown', () => {
    const { timer, onExpire } = make();
    timer.start();
    vi.advanceTimersByTime(11_000);
    expect(timer.phase).toBe('warning');
    timer.poke();
    expect(timer.phase).toBe('active');
    vi.advanceTimersByTime(9_000);
    expect(onExpire).not.toHaveBeenCalled();
  });

  it('never fires while held (a video playing) and restarts the wait when released', () => {
    const { timer, onExpire } = make();
    timer.start();
    const release = timer.hold();
    vi.advanceTimersByTime(120_000);
    expect(timer.phase).toBe('active');
    release();
    release(); // releasing twice must not unbalance the count
    vi.advanceTimersByTime(10_000);
    expect(timer.phase).toBe('warning');
    vi.advanceTimersByTime(3_000);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it('does nothing once stopped', () => {
    const { timer, onExpire } = make();
    timer.start();
    timer.stop();
    vi.advanceTimersByTime(60_000);
    expect(onExpire).not.toHaveBeenCalled();
  });
});

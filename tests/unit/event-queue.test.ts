import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError } from '../../electron/common/envelope';
import type { LogEventsArgs } from '../../electron/common/kiosk-api';
import { EventQueue } from '../../renderer/src/state/event-queue';

const event = (tMs: number) => ({ type: 'exhibit.open' as const, tMs, exhibitId: 'a', data: {} });

describe('EventQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('batches events from one tap into one call within the batch window', async () => {
    const calls: LogEventsArgs[] = [];
    const queue = new EventQueue({ logEvents: async (a) => (calls.push(a), { acknowledged: a.events.length, held: 0, lastSeq: 1 }) }, 100);
    queue.push('v1', event(1));
    queue.push('v1', event(2));
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([{ visitId: 'v1', events: [event(1), event(2)] }]);
    expect(queue.size).toBe(0);
  });

  it('keeps events and retries when the kiosk cannot take them yet', async () => {
    let failures = 2;
    const calls: LogEventsArgs[] = [];
    const queue = new EventQueue(
      {
        logEvents: async (a) => {
          if (failures-- > 0) throw new KioskError('internal', 'disk full');
          calls.push(a);
          return { acknowledged: a.events.length, held: 0, lastSeq: 1 };
        },
      },
      100,
      () => {},
    );
    queue.push('v1', event(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([{ visitId: 'v1', events: [event(1)] }]);
    expect(queue.size).toBe(0);
  });

  it('drops events the kiosk refused for good instead of retrying forever', async () => {
    const logEvents = vi.fn(async () => {
      throw new KioskError('bad-request', 'Visit has already ended');
    });
    const queue = new EventQueue({ logEvents }, 100, () => {});
    queue.push('v1', event(1));
    await queue.flush();
    expect(queue.size).toBe(0);
    expect(logEvents).toHaveBeenCalledTimes(1);
  });

  it('sends each visit its own events, in order', async () => {
    const calls: LogEventsArgs[] = [];
    const queue = new EventQueue({ logEvents: async (a) => (calls.push(a), { acknowledged: 1, held: 0, lastSeq: 1 }) }, 100);
    queue.push('v1', event(1));
    queue.push('v2', event(2));
    queue.push('v1', event(3));
    await queue.flush();
    expect(calls.map((c) => [c.visitId, c.events.map((e) => e.tMs)])).toEqual([
      ['v1', [1, 3]],
      ['v2', [2]],
    ]);
  });

  it('never resends events the kiosk holds for a full disk', async () => {
    const calls: LogEventsArgs[] = [];
    const queue = new EventQueue({ logEvents: async (a) => (calls.push(a), { acknowledged: 0, held: a.events.length, lastSeq: 7 }) }, 100);
    queue.push('v1', event(1));
    queue.push('v1', event(2));
    await queue.flush();
    expect(queue.size).toBe(0);
    queue.push('v1', event(3));
    await queue.flush();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.map((c) => c.events.map((e) => e.tMs))).toEqual([[1, 2], [3]]);
  });

  it('keeps events and backs off while the kiosk refuses with storage-full', async () => {
    const attempts: number[] = [];
    let refusals = 3;
    const queue = new EventQueue(
      {
        logEvents: async (a) => {
          attempts.push(Date.now());
          if (refusals-- > 0) throw new KioskError('storage-full', 'The disk is full and 50000 records are already waiting');
          return { acknowledged: a.events.length, held: 0, lastSeq: 3 };
        },
      },
      100,
      () => {},
    );
    queue.push('v1', event(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.size).toBe(1);
    await vi.advanceTimersByTimeAsync(250 + 500 + 1_000);
    expect(queue.size).toBe(0);
    // 250 ms, then 500, then 1000: each retry waits twice as long as the one before.
    expect(attempts.slice(1).map((t, i) => t - attempts[i]!)).toEqual([250, 500, 1_000]);
  });
});

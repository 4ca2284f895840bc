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
    const queue = new EventQueue({ logEvents: async (a) => (calls.push(a), { acknowledged: a.events.length, lastSeq: 1 }) }, 100);
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
          return { acknowledged: a.events.length, lastSeq: 1 };
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
    const queue = new EventQueue({ logEvents: async (a) => (calls.push(a), { acknowledged: 1, lastSeq: 1 }) }, 100);
    queue.push('v1', event(1));
    queue.push('v2', event(2));
    queue.push('v1', event(3));
    await queue.flush();
    expect(calls.map((c) => [c.visitId, c.events.map((e) => e.tMs)])).toEqual([
      ['v1', [1, 3]],
      ['v2', [2]],
    ]);
  });
});

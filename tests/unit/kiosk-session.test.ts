import { describe, expect, it, vi } from 'vitest';
import type { ActivePack, KioskApi } from '../../electron/common/kiosk-api';
import { kioskSettingsSchema } from '../../electron/common/kiosk-api';
import { readManifest } from '../../electron/core/packs/read-manifest';
import { KioskSession } from '../../renderer/src/state/kiosk-session.svelte';
import { MINI_PACK } from '../helpers/paths';

const PACK: ActivePack = { id: 'org.example.mini', version: '1.0.0', manifest: readManifest(MINI_PACK) };

/** A kiosk API whose getPack answers only when the test says so, to put a visitor in the middle of a reset. */
function slowApi() {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  const api = {
    getPack: () => new Promise<ActivePack>((resolve) => waiting.push(() => resolve(PACK))),
    getSettings: async () => kioskSettingsSchema.parse({}),
    startVisit: async ({ locale }: { locale: string }) => (calls.push(`start ${locale}`), { visitId: `v${calls.length}`, startedAt: '' }),
    logEvents: async () => ({ acknowledged: 1, lastSeq: 1 }),
    endVisit: async ({ visitId, reason }: { visitId: string; reason: string }) => (calls.push(`end ${visitId} ${reason}`), { visitId, endedAt: '', durationMs: 0 }),
  } as unknown as KioskApi;
  /** Answers the next getPack, once the session has asked for it. */
  const release = async () => {
    await vi.waitFor(() => expect(waiting.length).toBeGreaterThan(0));
    waiting.shift()!();
  };
  return { api, calls, release };
}

describe('KioskSession', () => {
  it('a visitor who starts while the previous reset is still reloading keeps their language and screen', async () => {
    const { api, calls, release } = slowApi();
    const session = new KioskSession(api);
    const first = session.load();
    await release();
    await first;
    await session.startIn('en');
    const reset = session.reset('completed');
    await vi.waitFor(() => expect(calls).toContain('end v1 completed'));
    await session.startIn('en'); // the next visitor taps before the reload has answered
    await release();
    await reset;
    expect(session.locale).toBe('en');
    expect(session.screen).toEqual({ name: 'home' });
    expect(calls).toEqual(['start en', 'end v1 completed', 'start en']);
    session.idle.stop();
  });

  it('a reset brings back the default language, the attract loop and normal text size', async () => {
    const { api, release } = slowApi();
    const session = new KioskSession(api);
    const first = session.load();
    await release();
    await first;
    await session.startIn('en');
    session.largeText = true;
    const reset = session.reset('idle');
    await release();
    await reset;
    expect([session.locale, session.screen.name, session.largeText]).toEqual(['zh-CN', 'attract', false]);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KIOSK_IPC_CHANNEL } from '../../electron/common/kiosk-api';
import { RENDERER_CSP } from '../../electron/core/media/app-files';
import { APP_ORIGIN, createAppProtocolHandler, isAppUrl } from '../../electron/main/app-protocol';
import { registerKioskIpc, type IpcEventLike, type IpcMainLike } from '../../electron/main/ipc';
import { electronNativeBindingPath } from '../../electron/main/native-binding';
import { buildKioskBridge } from '../../electron/preload/kiosk-bridge';
import { MINI_PACK } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

function fakeIpc() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, h) => void handlers.set(c, h), removeHandler: (c) => void handlers.delete(c) };
  return { ipcMain, handlers };
}

describe('IPC handler', () => {
  it('registers exactly one channel and removes it again', async () => {
    const kiosk = await tempKiosk();
    const { ipcMain, handlers } = fakeIpc();
    const dispose = registerKioskIpc(ipcMain, kiosk.service, isAppUrl);
    expect([...handlers.keys()]).toEqual([KIOSK_IPC_CHANNEL]);
    dispose();
    expect(handlers.size).toBe(0);
    kiosk.close();
  });

  it('refuses calls from other origins and from sub-frames', async () => {
    const kiosk = await tempKiosk();
    const { ipcMain, handlers } = fakeIpc();
    registerKioskIpc(ipcMain, kiosk.service, isAppUrl);
    const handler = handlers.get(KIOSK_IPC_CHANNEL)!;
    const main = { url: `${APP_ORIGIN}/` };
    const foreign = { url: 'https://example.com/' };
    const sub = { url: `${APP_ORIGIN}/frame` };
    expect(await handler({ senderFrame: foreign, sender: { mainFrame: foreign } }, 'getStatus', [])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: sub, sender: { mainFrame: main } }, 'getStatus', [])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: null, sender: { mainFrame: main } }, 'getStatus', [])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: main, sender: { mainFrame: main } }, 'getStatus', [])).toMatchObject({ ok: true });
    kiosk.close();
  });

  it('refuses unknown methods and invalid arguments before core sees them', async () => {
    const kiosk = await tempKiosk();
    const { ipcMain, handlers } = fakeIpc();
    const startVisit = vi.spyOn(kiosk.service, 'startVisit');
    registerKioskIpc(ipcMain, kiosk.service, isAppUrl);
    const handler = handlers.get(KIOSK_IPC_CHANNEL)!;
    const main = { url: `${APP_ORIGIN}/` };
    const event = { senderFrame: main, sender: { mainFrame: main } };
    expect(await handler(event, 'constructor', [])).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await handler(event, { toString: () => 'getStatus' }, [])).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await handler(event, 'startVisit', [{ locale: 'en', extra: 1 }])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handler(event, 'startVisit', 'not-an-array')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(startVisit).not.toHaveBeenCalled();
    kiosk.close();
  });
});

describe('preload bridge', () => {
  it('exposes one frozen plain function per method and nothing else', async () => {
    const invoke = vi.fn(async (method: string, args: unknown[]) => ({ ok: true, value: [method, args] }));
    const bridge = buildKioskBridge(['getPack', 'startVisit'], invoke);
    expect(Object.keys(bridge)).toEqual(['getPack', 'startVisit']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge.startVisit!({ locale: 'en' })).toEqual({ ok: true, value: ['startVisit', [{ locale: 'en' }]] });
  });
});

describe('kiosk:// protocol handler', () => {
  const handler = createAppProtocolHandler({
    rendererDir: join(MINI_PACK),
    packDir: (id, v) => (id === 'org.example.mini' && v === '1.0.0' ? MINI_PACK : null),
  });

  it('answers Range requests for pack media with 206 and 416', async () => {
    const whole = handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/pack.json`));
    expect(whole.status).toBe(200);
    const size = Number(whole.headers.get('content-length'));
    const part = handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/pack.json`, { headers: { range: 'bytes=2-5' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 2-5/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(4);
    const none = handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/pack.json`, { headers: { range: `bytes=${size}-` } }));
    expect(none.status).toBe(416);
  });

  it('refuses traversal and other hosts', () => {
    expect(handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect(handler(new Request('kiosk://other/pack.json')).status).toBe(404);
    expect(handler(new Request(`${APP_ORIGIN}/%E0%A4%A`)).status).toBe(400);
  });
});

describe('kiosk:// protocol: the app shell', () => {
  function rendererHandler() {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    return createAppProtocolHandler({ rendererDir: dir, packDir: () => null });
  }

  it('serves the page with the strict CSP, and scripts from the app', async () => {
    const handler = rendererHandler();
    const page = handler(new Request(`${APP_ORIGIN}/`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*unsafe/);
    const script = handler(new Request(`${APP_ORIGIN}/app.js`));
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('never serves a file outside the renderer, however the path is spelled', async () => {
    const handler = rendererHandler();
    for (const path of ['/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2F..%2F..%2Fetc%2Fpasswd', '/%2E%2E%5C..%5Cetc%5Cpasswd']) {
      const response = handler(new Request(`${APP_ORIGIN}${path}`));
      expect(await response.text(), path).toBe('<!doctype html><title>kiosk</title>');
    }
  });

  it('answers a suffix range, as media elements ask when seeking near the end', async () => {
    const handler = createAppProtocolHandler({ rendererDir: MINI_PACK, packDir: () => MINI_PACK });
    const whole = await handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/pack.json`)).arrayBuffer();
    const tail = handler(new Request(`${APP_ORIGIN}/media/org.example.mini/1.0.0/pack.json`, { headers: { range: 'bytes=-10' } }));
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(Buffer.from(whole).subarray(whole.byteLength - 10));
  });
});

describe('better-sqlite3 binding for Electron', () => {
  it('uses a per-ABI build in a checkout and the shipped one when packaged', () => {
    const base = { resourcesPath: '/opt/kiosk/resources', appRoot: '/src/kiosk', abi: '146', platform: 'linux', arch: 'x64' };
    expect(electronNativeBindingPath({ ...base, isPackaged: false })).toBe('/src/kiosk/.electron-native/146-linux-x64/better_sqlite3.node');
    expect(electronNativeBindingPath({ ...base, isPackaged: true })).toBe('/opt/kiosk/resources/native/better_sqlite3.node');
  });
});

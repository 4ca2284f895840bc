import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningHost } from '../../electron/host/kiosk-host';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';

const TOKEN = 'test-token-0123456789';

describe('loopback host', () => {
  let kiosk: Awaited<ReturnType<typeof tempKiosk>>;
  let host: RunningHost;
  let base: string;
  let rendererDir: string;

  const eventCount = () => (kiosk.db.prepare('SELECT COUNT(*) AS n FROM event').get() as { n: number }).n;
  const call = (method: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    kiosk = await tempKiosk();
    rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    host = await startKioskHost({ service: kiosk.service, token: TOKEN, rendererDir, packDir: (id, v) => kiosk.packs.dirOf(id, v), port: 0 });
    base = `http://127.0.0.1:${host.port}`;
  });
  afterEach(async () => {
    await host.close();
    kiosk.close();
  });

  it('listens on the loopback address only and puts the token in the fragment', () => {
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(host.url).toBe(`${base}/#token=${TOKEN}`);
  });

  it('answers 403 without the token, and writes nothing', async () => {
    const none = await call('startVisit', [{ locale: 'en' }], {});
    expect(none.status).toBe(403);
    const wrong = await call('startVisit', [{ locale: 'en' }], { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await kiosk.service.getStatus()).visitsTotal).toBe(0);
  });

  it('answers 404 for an unknown method', async () => {
    const res = await call('dropTables', []);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'unknown-method', message: 'Unknown method: dropTables' } });
  });

  it('answers 400 with the validation message for bad arguments, and writes nothing', async () => {
    const res = await call('startVisit', [{ locale: 'klingon' }]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('locale');
    const notJson = await call('startVisit', '{oops');
    expect(notJson.status).toBe(400);
    expect(eventCount()).toBe(0);
  });

  it('answers 413 for an oversized body, and writes nothing', async () => {
    const visit = await kiosk.service.startVisit({ locale: 'en' });
    const huge = { visitId: visit.visitId, events: [{ type: 'article.qr.show', tMs: 1, data: { url: 'x'.repeat(2_000_000) } }] };
    const res = await call('logEvents', [huge]);
    expect(res.status).toBe(413);
    expect(eventCount()).toBe(1);
  });

  it('refuses requests that arrive under another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(403);
  });

  it('serves the renderer with a CSP and falls back to the app shell', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(400);
    const deep = await fetch(`${base}/some/screen`);
    expect(await deep.text()).toContain('<title>kiosk</title>');
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('serves pack media with Range: 200, 206 and 416', async () => {
    const url = `${base}/media/org.example.mini/1.0.0/pack.json`;
    const whole = await fetch(url);
    const size = Number(whole.headers.get('content-length'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const part = await fetch(url, { headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-9/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(10);
    const beyond = await fetch(url, { headers: { range: `bytes=${size + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
  });

  it('refuses media paths that leave the pack or name an unknown pack', async () => {
    for (const path of ['/media/org.example.mini/1.0.0/..%2F..%2Factive.json', '/media/org.example.mini/1.0.0/%2Fetc%2Fpasswd', '/media/other/1.0.0/pack.json', '/media/org.example.mini/1.0.0/../../settings.json']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpKioskApi } from '../../electron/common/http-transport';
import { createPackStore } from '../../electron/core/packs/pack-store';
import { PackInstallError } from '../../electron/core/packs/pack-install-error';
import { writeKpack } from '../../electron/core/packs/zip/write-kpack';
import { newToken, startKioskHost } from '../../electron/host/kiosk-host';
import { buildZip } from '../helpers/make-zip';
import { makePack } from '../helpers/pack-builder';
import { MINI_PACK, REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { adminSession, tempKiosk } from '../helpers/temp-kiosk';

const APP = { appVersion: '1.0.0' };

async function liveStore() {
  const packs = join(tempDir(), 'packs');
  const store = createPackStore(packs);
  await store.install(MINI_PACK, APP);
  return { store, packs };
}

const activePointer = (packs: string) => JSON.parse(readFileSync(join(packs, 'active.json'), 'utf8')) as { id: string; version: string };

describe('pack install', () => {
  it('refuses hostile archives with the archive finding and changes nothing', async () => {
    const { store, packs } = await liveStore();
    const hostile: Record<string, Buffer> = {
      slip: buildZip([{ name: '../../evil.json', data: Buffer.from('{}') }]),
      absolute: buildZip([{ name: '/etc/evil.json', data: Buffer.from('{}') }]),
      symlink: buildZip([{ name: 'pack.json', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }]),
      caseCollision: buildZip([
        { name: 'media/A.png', data: Buffer.from('a') },
        { name: 'media/a.png', data: Buffer.from('b') },
      ]),
      bomb: buildZip([{ name: 'media/zeros.md', data: Buffer.alloc(50 * 1024 * 1024), method: 8 }]),
      garbage: Buffer.from('this is not a zip at all'),
    };
    const expected: Record<string, string> = {
      slip: 'zip-parent-path',
      absolute: 'zip-absolute-path',
      symlink: 'zip-symlink',
      caseCollision: 'zip-case-collision',
      bomb: 'zip-ratio',
      garbage: 'zip-corrupt',
    };
    for (const [name, bytes] of Object.entries(hostile)) {
      const file = join(tempDir(), `${name}.kpack`);
      writeFileSync(file, bytes);
      const error = await store.install(file, APP).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(PackInstallError);
      expect((error as PackInstallError).report.errors[0]!.code, name).toBe(expected[name]);
    }
    expect(activePointer(packs)).toMatchObject({ id: 'org.example.mini', version: '1.0.0' });
    expect(readdirSync(packs).sort()).toEqual(['active.json', 'org.example.mini']);
    expect(readdirSync(join(packs, 'org.example.mini'))).toEqual(['1.0.0']);
  });

  it('installs a .kpack, keeps the previous version and rolls back to it', async () => {
    const { store, packs } = await liveStore();
    const src = makePack((m) => (m.version = '2.0.0'));
    const kpack = join(tempDir(), 'p.kpack');
    await writeKpack(src, ['pack.json'], kpack);
    const { pack } = await store.install(kpack, APP);
    expect(pack.version).toBe('2.0.0');
    expect(store.active()?.version).toBe('2.0.0');
    expect(store.rollback().version).toBe('1.0.0');
    expect(activePointer(packs)).toEqual({ id: 'org.example.mini', version: '1.0.0', previous: { id: 'org.example.mini', version: '2.0.0' } });
    expect(store.list().map((p) => [p.version, p.active, p.previous])).toEqual([
      ['1.0.0', true, false],
      ['2.0.0', false, true],
    ]);
  });

  it('refuses to replace the version that is live', async () => {
    const { store } = await liveStore();
    const error = (await store.install(MINI_PACK, APP).catch((e: unknown) => e)) as PackInstallError;
    expect(error.report.errors[0]!.code).toBe('install-in-use');
  });

  it('an install killed midway leaves the live pack active and intact', async () => {
    const { packs } = await liveStore();
    // A pack big enough that the copy is still running when the process is killed.
    const big = makePack((m) => {
      m.version = '3.0.0';
      m.exhibits[0]!.image = 'media/big-0.png';
    });
    mkdirSync(join(big, 'media'), { recursive: true });
    const png = readFileSync(join(REPO, 'tests', 'fixtures', 'media', 'still.png'));
    for (let i = 0; i < 40; i += 1) writeFileSync(join(big, 'media', `big-${i}.png`), Buffer.concat([png, Buffer.alloc(8 * 1024 * 1024)]));
    const before = readFileSync(join(packs, 'org.example.mini', '1.0.0', 'pack.json'));

    const child = spawn(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'pack', 'install', big, '--data', join(packs, '..')], { stdio: 'ignore' });
    const staging = join(packs, '.staging');
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const copying = existsSync(staging) && readdirSync(staging).some((d) => existsSync(join(staging, d, 'media')));
        if (copying || Date.now() - started > 15_000) {
          clearInterval(poll);
          if (!copying) reject(new Error('the install never started copying'));
          else resolve();
        }
      }, 5);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    expect(activePointer(packs)).toMatchObject({ id: 'org.example.mini', version: '1.0.0' });
    expect(existsSync(join(packs, 'org.example.mini', '3.0.0'))).toBe(false);
    expect(readFileSync(join(packs, 'org.example.mini', '1.0.0', 'pack.json')).equals(before)).toBe(true);
    // The next start sweeps the half-copied staging folder away.
    const reopened = createPackStore(packs);
    expect(existsSync(staging)).toBe(false);
    expect(reopened.active()?.version).toBe('1.0.0');
  }, 30_000);
});

describe('pack API through the loopback host', () => {
  it('checks, installs, activates and rolls back, with findings in both languages', async () => {
    const kiosk = await tempKiosk();
    const token = newToken();
    const host = await startKioskHost({ service: kiosk.service, token, rendererDir: null, packDir: () => null, port: 0 });
    const api = createHttpKioskApi({ baseUrl: `http://127.0.0.1:${host.port}`, token });
    try {
      const session = await adminSession(api);
      const bad = makePack((m) => {
        m.version = '2.0.0';
        delete m.title.en;
      });
      const check = await api.checkPack({ session, path: bad });
      expect(check).toMatchObject({ ok: false, pack: { id: 'org.example.mini', version: '2.0.0' } });
      expect(check.errors[0]).toEqual({ code: 'locale-missing', where: 'title', message: { 'zh-CN': '缺少 en 文本', en: 'The en text is missing' } });
      expect(await api.installPack({ session, path: bad })).toMatchObject({ installed: false, pack: null });
      expect((await api.getPack()).version).toBe('1.0.0');

      const good = makePack((m) => (m.version = '2.0.0'));
      expect(await api.installPack({ session, path: good })).toMatchObject({ installed: true, pack: { version: '2.0.0' } });
      expect((await api.getPack()).version).toBe('2.0.0');
      expect((await api.listPacks({ session })).map((p) => `${p.version}${p.active ? '*' : ''}`)).toEqual(['1.0.0', '2.0.0*']);
      expect(await api.rollbackPack({ session })).toEqual({ id: 'org.example.mini', version: '1.0.0' });
      expect(await api.activatePack({ session, id: 'org.example.mini', version: '2.0.0' })).toEqual({ id: 'org.example.mini', version: '2.0.0' });
      await expect(api.activatePack({ session, id: 'org.example.mini', version: '9.9.9' })).rejects.toMatchObject({ code: 'not-found' });
      // A visit records the version that was live when it started.
      const visit = await api.startVisit({ locale: 'en' });
      expect(kiosk.db.prepare('SELECT pack_version FROM visit WHERE visit_id = ?').get(visit.visitId)).toEqual({ pack_version: '2.0.0' });
      // Each step is in the audit trail with the pack it concerned and how it ended.
      const trail = (await api.getAuditLog({ session })).filter((e) => e.action.startsWith('pack.')).reverse();
      expect(trail.map((e) => [e.action, e.ok])).toEqual([
        ['pack.check', false],
        ['pack.install', false],
        ['pack.install', true],
        ['pack.rollback', true],
        ['pack.activate', true],
        ['pack.activate', false],
      ]);
      expect(trail[2]!.detail).toMatchObject({ pack: { id: 'org.example.mini', version: '2.0.0' }, installed: true });
      expect(trail[3]!.detail).toEqual({ from: { id: 'org.example.mini', version: '2.0.0' }, to: { id: 'org.example.mini', version: '1.0.0' } });
      expect(trail[5]!.detail).toMatchObject({ pack: { id: 'org.example.mini', version: '9.9.9' }, error: 'not-found' });
      // Without a session the pack methods refuse, and change nothing.
      await expect(api.rollbackPack({ session: 'x'.repeat(43) })).rejects.toMatchObject({ code: 'admin-required' });
      expect((await api.getPack()).version).toBe('2.0.0');
    } finally {
      await host.close();
      kiosk.close();
    }
  });
});

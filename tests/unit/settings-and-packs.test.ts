import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packManifestSchema } from '../../electron/common/pack-schema';
import { readManifest } from '../../electron/core/packs/read-manifest';
import { createPackStore, ensureActivePack } from '../../electron/core/packs/pack-store';
import { createJsonFileSettings, DEFAULT_SETTINGS } from '../../electron/core/settings';
import { BUNDLED_PACK, MINI_PACK } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

describe('settings file', () => {
  it('gives defaults without a file and keeps valid values from a partly wrong one', () => {
    const file = join(tempDir(), 'settings.json');
    const settings = createJsonFileSettings(file);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    writeFileSync(file, JSON.stringify({ idleTimeoutSeconds: 45, volume: 7, defaultLocale: 'en' }));
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 45, defaultLocale: 'en' });
    writeFileSync(file, '{ not json');
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('validates updates and writes them atomically', () => {
    const file = join(tempDir(), 'settings.json');
    const settings = createJsonFileSettings(file);
    expect(settings.update({ idleCountdownSeconds: 15 }).idleCountdownSeconds).toBe(15);
    expect(JSON.parse(readFileSync(file, 'utf8')).idleCountdownSeconds).toBe(15);
    expect(() => settings.update({ idleTimeoutSeconds: 1 })).toThrow();
    expect(settings.get().idleCountdownSeconds).toBe(15);
  });
});

describe('pack store', () => {
  it('installs the bundled pack at first start and keeps the active one afterwards', async () => {
    const packs = join(tempDir(), 'packs');
    const store = createPackStore(packs);
    expect(store.active()).toBeNull();
    const first = await ensureActivePack(store, MINI_PACK, '1.0.0');
    expect([first.id, first.version]).toEqual(['org.example.mini', '1.0.0']);
    expect(existsSync(join(packs, 'org.example.mini', '1.0.0', 'pack.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(packs, 'active.json'), 'utf8'))).toEqual({ id: 'org.example.mini', version: '1.0.0', previous: null });
    const again = await ensureActivePack(createPackStore(packs), BUNDLED_PACK, '1.0.0');
    expect(again.id).toBe('org.example.mini');
  });

  it('refuses a folder whose manifest is broken and leaves the store as it was', async () => {
    const packs = join(tempDir(), 'packs');
    const store = createPackStore(packs);
    await ensureActivePack(store, MINI_PACK, '1.0.0');
    const broken = tempDir();
    writeFileSync(join(broken, 'pack.json'), JSON.stringify({ schemaVersion: 1, id: 'Bad Id' }));
    await expect(store.install(broken, { appVersion: '1.0.0' })).rejects.toThrow(/^id: The pack id must be reverse-DNS/);
    expect(store.active()?.id).toBe('org.example.mini');
  });

  it('answers null for ids and versions that could escape the packs folder', () => {
    const store = createPackStore(join(tempDir(), 'packs'));
    expect(store.dirOf('..', '1.0.0')).toBeNull();
    expect(store.dirOf('org.example.mini', '../..')).toBeNull();
  });
});

describe('the bundled consular-protection pack', () => {
  it('passes the pack schema', () => {
    const manifest = readManifest(BUNDLED_PACK);
    expect(manifest.id).toBe('cn.gov.fao.consular-protection');
    expect(manifest.locales).toEqual(['zh-CN', 'en']);
    expect(packManifestSchema.safeParse(JSON.parse(readFileSync(join(BUNDLED_PACK, 'pack.json'), 'utf8'))).success).toBe(true);
  });
});

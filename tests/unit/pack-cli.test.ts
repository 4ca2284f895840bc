import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packJsonSchemaText } from '../../electron/core/packs/pack-json-schema';
import { validatePack } from '../../electron/core/packs/validate/validate-pack';
import { makePack } from '../helpers/pack-builder';
import { BUNDLED_PACK, MINI_PACK, REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/** Runs the real `kiosk` command (the built bundle, as `npx kiosk` does), output piped. */
function kiosk(...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kiosk pack (CLI)', () => {
  it('exits 0 for a valid pack and 1 for an invalid one, listing every error in the chosen language', () => {
    expect(kiosk('pack', 'validate', MINI_PACK).code).toBe(0);
    const broken = makePack((m) => {
      m.exhibits[0]!.activities.push('nowhere');
      delete m.exhibits[1]!.summary.en;
    });
    const en = kiosk('pack', 'validate', broken, '--lang', 'en');
    expect(en.code).toBe(1);
    expect(en.stdout).toContain('✗ The pack is not valid: 2 errors, 0 warnings');
    expect(en.stdout).toContain('exhibits[0].activities[1]: Refers to activity "nowhere", which does not exist');
    expect(en.stdout).toContain('exhibits[1].summary: The en text is missing');
    const zh = kiosk('pack', 'validate', broken, '--lang', 'zh-CN');
    expect(zh.stdout).toContain('内容包无效：2 个错误');
    expect(zh.stdout).toContain('exhibits[1].summary: 缺少 en 文本');
  });

  it('gives machine-readable findings with --json and stays quiet on stderr when piped', () => {
    const broken = makePack((m) => (m.version = 'one'));
    const out = kiosk('pack', 'validate', broken, '--json', '--lang', 'en');
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: false, errors: [{ code: 'format-semver', where: 'version', message: expect.stringContaining('semantic version') }] });
    expect(out.stderr).toBe('');
  });

  it('exits 2 for usage mistakes', () => {
    expect(kiosk('pack').code).toBe(2);
    expect(kiosk('pack', 'frobnicate').code).toBe(2);
    expect(kiosk('pack', 'validate').code).toBe(2);
    expect(kiosk('pack', 'validate', MINI_PACK, '--lang', 'fr').code).toBe(2);
    expect(kiosk('pack', 'validate', MINI_PACK, '--bogus').code).toBe(2);
    expect(kiosk('nonsense').code).toBe(2);
  });

  it('builds a byte-identical .kpack from identical input, installs it, switches and rolls back', () => {
    const src = makePack();
    const out1 = tempDir();
    const out2 = tempDir();
    expect(kiosk('pack', 'build', src, '--out', out1).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(src, 'pack.json'), 'utf8'));
    expect(manifest.files).toEqual({});
    expect(kiosk('pack', 'build', src, '--out', out2).code).toBe(0);
    const kpack = 'org.example.mini-1.0.0.kpack';
    expect(readFileSync(join(out1, kpack)).equals(readFileSync(join(out2, kpack)))).toBe(true);

    const data = tempDir();
    expect(kiosk('pack', 'install', join(out1, kpack), '--data', data).stdout).toContain('Installed org.example.mini 1.0.0, now live');
    const second = makePack((m) => (m.version = '1.1.0'));
    expect(kiosk('pack', 'install', second, '--data', data).code).toBe(0);
    expect(kiosk('pack', 'list', '--data', data).stdout).toMatch(/< org\.example\.mini 1\.0\.0[\s\S]*\* org\.example\.mini 1\.1\.0/);
    expect(kiosk('pack', 'rollback', '--data', data).stdout).toContain('org.example.mini 1.0.0 is now live');
    expect(kiosk('pack', 'activate', 'org.example.mini@1.1.0', '--data', data).code).toBe(0);
    expect(JSON.parse(kiosk('pack', 'list', '--data', data, '--json').stdout).find((p: { active: boolean }) => p.active).version).toBe('1.1.0');
  });

  it('refuses to install an invalid pack and leaves the live one alone', () => {
    const data = tempDir();
    expect(kiosk('pack', 'install', MINI_PACK, '--data', data).code).toBe(0);
    const bad = makePack((m) => {
      m.version = '2.0.0';
      m.title.en = '';
    });
    const out = kiosk('pack', 'install', bad, '--data', data, '--lang', 'en');
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('title.en: The text must not be empty');
    expect(JSON.parse(readFileSync(join(data, 'packs', 'active.json'), 'utf8'))).toMatchObject({ id: 'org.example.mini', version: '1.0.0' });
  });

  it('scaffolds a starter pack that validates with no findings', async () => {
    const dir = join(tempDir(), 'my-pack');
    const out = kiosk('pack', 'new', dir, '--id', 'org.example.my-pack');
    expect(out.code).toBe(0);
    const report = await validatePack(dir, { appVersion: '1.0.0' });
    expect([...report.errors, ...report.warnings]).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')).$schema).toBe('./pack.schema.json');
    expect(kiosk('pack', 'new', dir).code).toBe(1);
  });
});

describe('published JSON Schema', () => {
  it('exhibits/pack.schema.json is what the code generates (run `npx kiosk pack schema --out exhibits/pack.schema.json`)', () => {
    expect(readFileSync(join(REPO, 'exhibits', 'pack.schema.json'), 'utf8')).toBe(packJsonSchemaText());
  });

  it('offers the languages by name for editor completion and is referenced by the bundled pack', () => {
    const schema = JSON.parse(packJsonSchemaText());
    expect(Object.keys(schema.properties.title.properties)).toEqual(['zh-CN', 'en']);
    expect(JSON.parse(readFileSync(join(BUNDLED_PACK, 'pack.json'), 'utf8')).$schema).toBe('../pack.schema.json');
  });
});

describe('the bundled consular-protection pack', () => {
  it('validates with zero errors and zero warnings, hashes included', async () => {
    const report = await validatePack(BUNDLED_PACK, { appVersion: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.manifest?.files && Object.keys(report.manifest.files).length).toBeGreaterThan(10);
  });
});


import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths';

const config = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

describe('electron-builder.yml', () => {
  it('ships the better-sqlite3 build made for the pinned Electron', () => {
    const abi = readFileSync(join(REPO, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
    expect(config).toContain(`.electron-native/${abi}-\${platform}-\${arch}/better_sqlite3.node`);
    expect(config).toMatch(/npmRebuild: false/);
  });

  it('targets Linux AppImage and deb and Windows NSIS, packed in asar', () => {
    expect(config).toMatch(/linux:\s*\n\s*target: \[AppImage, deb\]/);
    expect(config).toMatch(/win:\s*\n\s*target: \[nsis\]/);
    expect(config).toMatch(/^asar: true$/m);
    expect(config).toMatch(/buildResources: resources/);
  });

  it('turns the risky Electron fuses off', () => {
    expect(config).toMatch(/runAsNode: false/);
    expect(config).toMatch(/onlyLoadAppFromAsar: true/);
    expect(config).toMatch(/enableEmbeddedAsarIntegrityValidation: true/);
    expect(config).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
  });

  it('pins every dependency exactly, with an Electron that does not download at install', () => {
    for (const deps of [pkg.dependencies!, pkg.devDependencies!]) {
      for (const [name, version] of Object.entries(deps)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const electronPkg = JSON.parse(readFileSync(join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(electronPkg.scripts?.postinstall).toBeUndefined();
  });
});

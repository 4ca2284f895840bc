import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths';

// js-yaml is what electron-builder reads this same file with (pinned as a devDependency to match).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  asar: boolean;
  npmRebuild: boolean;
  directories: { output: string; buildResources: string };
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; executableName: string };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean };
}

const text = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8');
const config = yaml.load(text) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it('ships the better-sqlite3 build made for the pinned Electron, not a rebuilt one', () => {
    const abi = readFileSync(join(REPO, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
    expect(config.extraResources).toContainEqual({ from: `.electron-native/${abi}-\${platform}-\${arch}/better_sqlite3.node`, to: 'native/better_sqlite3.node' });
    expect(config.npmRebuild).toBe(false);
  });

  it('ships the bundled pack and the deployment files as resources', () => {
    const exhibits = config.extraResources.find((r) => r.from === 'exhibits');
    expect(exhibits?.to).toBe('exhibits');
    expect(exhibits?.filter).toContain('!*.schema.json');
    expect(config.extraResources).toContainEqual({ from: 'resources/deploy', to: 'deploy' });
  });

  it('targets Linux AppImage and deb and Windows NSIS, packed in asar', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.directories.buildResources).toBe('resources');
    expect(config.linux.executableName).toBe('exhibit-kiosk');
  });

  it('packs the built app only: dist and package.json, no sources, tests or source maps', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**', '!**/*.map']));
    for (const pattern of config.files.filter((f) => !f.startsWith('!'))) {
      expect(pattern, pattern).toMatch(/^(package\.json|dist\/)/);
    }
    expect(pkg.main).toBe('dist/electron/main.js');
  });

  it('flips the Electron fuses: no RunAsNode, asar only and integrity-checked, no Node options or inspector', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('lists every module the main process loads at run time as a dependency, so it is packed', () => {
    const build = readFileSync(join(REPO, 'scripts', 'build-electron.js'), 'utf8');
    for (const name of ['better-sqlite3', 'electron-store', 'electron-log', 'zod']) {
      expect(pkg.dependencies, name).toHaveProperty(name);
      expect(build, `${name} is kept external by the build`).toContain(name);
    }
    expect(pkg.devDependencies).toHaveProperty('electron');
  });

  it('pins every dependency exactly, with an Electron that does not download at install', () => {
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      for (const [name, version] of Object.entries(deps)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const electronPkg = JSON.parse(readFileSync(join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(electronPkg.scripts?.postinstall).toBeUndefined();
  });
});

/** `Key=value` lines of a systemd unit or a .desktop file, all values of each key. */
function iniValues(path: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const line of readFileSync(join(REPO, path), 'utf8').split('\n')) {
    const match = /^([A-Za-z][\w[\]-]*)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, [...(values.get(match[1]!) ?? []), match[2]!]);
  }
  return values;
}

describe('deployment recipes (resources/deploy, docs/deployment.md)', () => {
  it('the systemd user unit runs the browser kiosk in the graphical session and always restarts it', () => {
    const unit = iniValues('resources/deploy/exhibit-kiosk.service');
    expect(unit.get('ExecStart')?.[0]).toMatch(/\/bin\/kiosk\.js serve --open$/);
    expect(unit.get('Restart')).toEqual(['always']);
    expect(unit.get('StartLimitIntervalSec')).toEqual(['0']);
    expect(unit.get('WantedBy')).toEqual(['graphical-session.target']);
    expect(unit.get('PartOf')).toEqual(['graphical-session.target']);
    expect(unit.get('Environment')).toEqual(expect.arrayContaining(['DISPLAY=:0']));
    expect(unit.get('KillSignal')).toEqual(['SIGTERM']);
  });

  it('the autostart entry starts the installed Electron build by its executable name', () => {
    const entry = iniValues('resources/deploy/exhibit-kiosk-autostart.desktop');
    expect(entry.get('Type')).toEqual(['Application']);
    expect(entry.get('Exec')).toEqual([config.linux.executableName]);
  });

  it('the Shell Launcher sketch starts the NSIS-installed executable and restarts it when it exits', () => {
    const xml = readFileSync(join(REPO, 'resources/deploy/windows/shell-launcher.xml'), 'utf8');
    expect(xml).toContain(`Shell="%ProgramFiles%\\${pkg.productName}\\${pkg.productName}.exe"`);
    expect(xml).toContain('<DefaultAction Action="RestartShell"/>');
    const ids = [...xml.matchAll(/Profile Id="(\{[0-9A-F-]+\})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });

  it('both docs exist and are linked from the README', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/security.md)');
    expect(readme).toContain('](docs/deployment.md)');
  });
});

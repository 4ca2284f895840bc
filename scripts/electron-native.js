// Builds better-sqlite3 for Electron's ABI into .electron-native/<abi>-<platform>-<arch>/, leaving the Node
// build in node_modules untouched: tests (Node) and the app (Electron) then both work from one checkout,
// in any order. Electron's main process loads this file through better-sqlite3's `nativeBinding` option.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, electronVersion } from './electron-binary.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

export function electronNativeTarget(arch = process.arch, platform = process.platform) {
  const abi = readFileSync(join(electronPackageDir(), 'abi_version'), 'utf8').trim();
  return join(root, '.electron-native', `${abi}-${platform}-${arch}`, 'better_sqlite3.node');
}

/** Builds the addon unless it is already there; returns its path. Needs Electron's headers (network). */
export function ensureElectronNative({ arch = process.arch, force = false, log = console.log } = {}) {
  const target = electronNativeTarget(arch);
  if (existsSync(target) && !force) return target;
  const version = electronVersion();
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(root, '.electron-native', 'build');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // A private copy, so node-gyp never touches the Node build that npm made in node_modules.
  for (const part of ['binding.gyp', 'src', 'deps', 'package.json']) cpSync(join(source, part), join(work, part), { recursive: true });
  log(`Building better-sqlite3 for Electron ${version} (${arch})…`);
  const nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
  execFileSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: work, stdio: 'inherit' },
  );
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(work, { recursive: true, force: true });
  log(`Wrote ${target}`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arch = process.argv.find((a) => a.startsWith('--arch='))?.slice(7);
  ensureElectronNative({ arch, force: process.argv.includes('--force') });
}

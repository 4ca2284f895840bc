// `npm start`: the kiosk with the bundled pack. Electron when its binary is available; otherwise one clear
// line saying so, and the browser kiosk (loopback host + system Chromium in kiosk mode) instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, installedElectronBinary } from './electron-binary.js';
import { ensureElectronNative } from './electron-native.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const passThrough = process.argv.slice(2);

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; forward SIGTERM ourselves.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

/** The binary, downloading it once if this machine may (the package fetches on first run). */
function electronBinary() {
  const installed = installedElectronBinary();
  if (installed || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return installed;
  const result = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], { stdio: 'ignore', timeout: 180_000 });
  return result.status === 0 ? installedElectronBinary() : null;
}

// The same build as `npm run build`, so the two can never drift apart.
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
let electronReady = false;
if (binary) {
  try {
    ensureElectronNative();
    electronReady = true;
  } catch (error) {
    console.error(`Electron is installed but better-sqlite3 could not be built for it (${error.message}).`);
  }
}

if (electronReady && existsSync(binary)) {
  run(binary, [root, ...passThrough]);
} else {
  if (!binary) {
    console.log("Electron's binary is not installed (it downloads on first run and this machine could not fetch it): starting the browser kiosk instead.");
  }
  run(process.execPath, [join(root, 'bin', 'kiosk.js'), 'serve', '--open', ...passThrough]);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface ServedKiosk {
  child: ChildProcess;
  /** The address with the token in its fragment, as `kiosk serve` prints it. */
  url: string;
  origin: string;
  token: string;
  /** What the process wrote to stderr so far (notices, the data folder). */
  stderr(): string;
}

/**
 * Runs the real `kiosk serve` (the built bundle: run `node scripts/build-electron.js` after changing
 * electron/) on a data folder, as a user would, and resolves once it printed its ready line.
 */
export async function serveKiosk(dataDir: string, extraArgs: string[] = [], readyTimeoutMs = 15_000): Promise<ServedKiosk> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'serve', '--data', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`kiosk serve did not become ready:\n${stdout}\n${stderr}`)), readyTimeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /Kiosk ready at (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiosk serve exited with ${code}:\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
  return { child, url, origin: parsed.origin, token, stderr: () => stderr };
}

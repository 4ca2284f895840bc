import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout (or installed package) root: the nearest folder above this module with our package.json.
 * Searched rather than fixed, because this code runs from source, from dist/electron and from its chunks.
 */
function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'exhibit-kiosk') return dir;
    if (dirname(dir) === dir) throw new Error(`Cannot find the kiosk's package.json above ${from}`);
  }
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));

export const appFiles = {
  rendererDir: join(APP_ROOT, 'dist', 'renderer'),
  bundledPackDir: join(APP_ROOT, 'exhibits', 'consular-protection'),
};

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

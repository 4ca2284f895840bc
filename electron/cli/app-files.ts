import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The checkout (or installed package) root: two levels up from both electron/cli/*.ts and dist/electron/cli.js. */
export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const appFiles = {
  rendererDir: join(APP_ROOT, 'dist', 'renderer'),
  bundledPackDir: join(APP_ROOT, 'exhibits', 'consular-protection'),
};

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

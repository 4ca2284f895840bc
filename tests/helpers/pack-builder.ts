import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PackManifest } from '../../electron/common/pack-schema';
import { MINI_PACK } from './paths';
import { tempDir } from './temp-dir';

/** A copy of the mini fixture pack in a temp folder, changed by `edit`, with extra files written as given. */
export function makePack(edit: (m: PackManifest & Record<string, unknown>) => void = () => {}, files: Record<string, string | Buffer> = {}): string {
  const dir = tempDir('kiosk-pack-');
  cpSync(MINI_PACK, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')) as PackManifest & Record<string, unknown>;
  edit(manifest);
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(manifest, null, 2));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Writes raw text as pack.json (for JSON that the type system would not allow). */
export function makeRawPack(text: string): string {
  const dir = tempDir('kiosk-pack-');
  writeFileSync(join(dir, 'pack.json'), text);
  return dir;
}

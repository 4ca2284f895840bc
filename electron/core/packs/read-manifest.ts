import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packManifestSchema, type PackManifest } from '../../common/pack-schema';

export const MANIFEST_FILE = 'pack.json';

/** Reads and schema-checks a pack's manifest; the message says which file and what is wrong. */
export function readManifest(packDir: string): PackManifest {
  const file = join(packDir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the pack manifest ${file}: ${(error as Error).message}`);
  }
  const parsed = packManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The pack manifest ${file} is not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

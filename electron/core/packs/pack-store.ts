import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PackManifest } from '../../common/pack-schema';
import { writeFileAtomic } from '../write-file-atomic';
import { readManifest } from './read-manifest';

export interface InstalledPack {
  id: string;
  version: string;
  dir: string;
  manifest: PackManifest;
}

export interface PackStore {
  /** The pack visitors see now, or null before any pack was installed. */
  active(): InstalledPack | null;
  /** Copies a pack folder into the store (staging, then one rename) and returns it; does not activate. */
  installFolder(sourceDir: string): InstalledPack;
  activate(id: string, version: string): InstalledPack;
  /** Directory of an installed version, for serving its media; null when it is not installed. */
  dirOf(id: string, version: string): string | null;
}

const activeSchema = z.object({ id: z.string(), version: z.string() });
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/**
 * Installed packs live in `<data>/packs/<id>/<version>/`, and `<data>/packs/active.json` names the one in
 * use. Installing never touches the active pack, so a bad copy cannot break a working kiosk.
 */
export function createPackStore(packsDir: string): PackStore {
  const activeFile = join(packsDir, 'active.json');
  const versionDir = (id: string, version: string) => {
    if (!SAFE_SEGMENT.test(id) || !SAFE_SEGMENT.test(version)) throw new Error(`Not a valid pack id/version: ${id}@${version}`);
    return join(packsDir, id, version);
  };
  const load = (id: string, version: string): InstalledPack => {
    const dir = versionDir(id, version);
    return { id, version, dir, manifest: readManifest(dir) };
  };
  let cached: InstalledPack | null | undefined;

  return {
    active() {
      if (cached !== undefined) return cached;
      if (!existsSync(activeFile)) return (cached = null);
      const pointer = activeSchema.parse(JSON.parse(readFileSync(activeFile, 'utf8')));
      return (cached = load(pointer.id, pointer.version));
    },

    installFolder(sourceDir) {
      const manifest = readManifest(sourceDir);
      const target = versionDir(manifest.id, manifest.version);
      const staging = join(packsDir, '.staging', `${manifest.id}@${manifest.version}-${process.pid}-${Date.now()}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(join(packsDir, '.staging'), { recursive: true });
      cpSync(sourceDir, staging, { recursive: true, dereference: false, verbatimSymlinks: true });
      readManifest(staging);
      mkdirSync(join(packsDir, manifest.id), { recursive: true });
      if (existsSync(target)) {
        // Same id and version already installed: replace it only if it is not the one being shown.
        const current = this.active();
        if (current && current.id === manifest.id && current.version === manifest.version) {
          rmSync(staging, { recursive: true, force: true });
          return current;
        }
        rmSync(target, { recursive: true, force: true });
      }
      renameSync(staging, target);
      return load(manifest.id, manifest.version);
    },

    activate(id, version) {
      const pack = load(id, version);
      writeFileAtomic(activeFile, `${JSON.stringify({ id, version })}\n`);
      cached = pack;
      return pack;
    },

    dirOf(id, version) {
      try {
        const dir = versionDir(id, version);
        return existsSync(join(dir, 'pack.json')) ? dir : null;
      } catch {
        return null;
      }
    },
  };
}

/** At first start the kiosk shows the pack it ships with; later starts keep whatever staff activated. */
export function ensureActivePack(store: PackStore, bundledPackDir: string): InstalledPack {
  const current = store.active();
  if (current) return current;
  const installed = store.installFolder(bundledPackDir);
  return store.activate(installed.id, installed.version);
}


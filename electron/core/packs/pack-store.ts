import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LocalizedText } from '../../common/locales';
import type { PackManifest } from '../../common/pack-schema';
import { writeFileAtomic } from '../write-file-atomic';
import { listPackFiles } from './pack-files';
import { extractPackArchive } from './extract-pack-archive';
import { PackInstallError } from './pack-install-error';
import { readManifest } from './read-manifest';
import { compareVersions } from './semver';
import { validatePack, type ValidationReport } from './validate/validate-pack';

export interface InstalledPack {
  id: string;
  version: string;
  dir: string;
  manifest: PackManifest;
}

export interface InstalledVersion {
  id: string;
  version: string;
  title: LocalizedText;
  installedAt: string;
  active: boolean;
  /** The version `rollback` returns to. */
  previous: boolean;
}

export interface InstallOptions {
  appVersion: string;
  /** Make it the pack visitors see (default); otherwise it waits for `activate`. */
  activate?: boolean;
  onProgress?: (phase: 'copy' | 'verify', done: number, total: number) => void;
}

export interface PackStore {
  /** The pack visitors see now, or null before any pack was installed. Notices changes made by other processes. */
  active(): InstalledPack | null;
  list(): InstalledVersion[];
  /** From a folder or a .kpack: unpack and validate in staging, then move into place with one rename. */
  install(source: string, options: InstallOptions): Promise<{ pack: InstalledPack; report: ValidationReport }>;
  activate(id: string, version: string): InstalledPack;
  /** Back to the version that was active before the current one. */
  rollback(): InstalledPack;
  /** Directory of an installed version, for serving its media; null when it is not installed. */
  dirOf(id: string, version: string): string | null;
}

const pointerSchema = z.object({
  id: z.string(),
  version: z.string(),
  previous: z.object({ id: z.string(), version: z.string() }).nullable().default(null),
});
type Pointer = z.infer<typeof pointerSchema>;
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

async function copyFolder(source: string, target: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  const files = listPackFiles(source);
  const link = files.find((f) => f.isLink);
  if (link) throw PackInstallError.single('install-link', link.path, { file: link.path });
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  for (const file of files) {
    const to = join(target, file.path);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(source, file.path), to);
    done += file.size;
    onProgress?.(done, total);
    // Let the event loop breathe between files so a running kiosk stays responsive during a big install.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Flushes a staged pack to disk before it becomes visible: a kiosk unplugged right after an install must
 * not come back with an active pack whose files are still empty in the page cache.
 */
function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else if (entry.isFile()) syncFile(path);
  }
  syncDirectory(dir);
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Windows cannot open or flush a directory; its renames are durable without that, so failure is expected there. */
function syncDirectory(path: string): void {
  try {
    syncFile(path);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  }
}

/**
 * Installed packs live in `<data>/packs/<id>/<version>/`, and `<data>/packs/active.json` names the one in
 * use and the one before it. Installing never touches the active pack until the final rename, so a bad or
 * interrupted install cannot break a working kiosk.
 */
export function createPackStore(packsDir: string): PackStore {
  const activeFile = join(packsDir, 'active.json');
  const stagingRoot = join(packsDir, '.staging');
  // Whatever an interrupted install left behind is garbage: it never became visible.
  rmSync(stagingRoot, { recursive: true, force: true });

  const versionDir = (id: string, version: string) => {
    if (!SAFE_SEGMENT.test(id) || !SAFE_SEGMENT.test(version)) throw new Error(`Not a valid pack id/version: ${id}@${version}`);
    return join(packsDir, id, version);
  };
  const load = (id: string, version: string): InstalledPack => {
    const dir = versionDir(id, version);
    return { id, version, dir, manifest: readManifest(dir) };
  };
  const readPointer = (): Pointer | null =>
    existsSync(activeFile) ? pointerSchema.parse(JSON.parse(readFileSync(activeFile, 'utf8'))) : null;

  let cache: { mtimeMs: number; pack: InstalledPack } | null = null;

  const store: PackStore = {
    active() {
      if (!existsSync(activeFile)) return null;
      const mtimeMs = statSync(activeFile).mtimeMs;
      if (cache && cache.mtimeMs === mtimeMs) return cache.pack;
      const pointer = readPointer()!;
      cache = { mtimeMs, pack: load(pointer.id, pointer.version) };
      return cache.pack;
    },

    list() {
      const pointer = readPointer();
      if (!existsSync(packsDir)) return [];
      const out: InstalledVersion[] = [];
      for (const id of readdirSync(packsDir)) {
        if (id.startsWith('.') || !statSync(join(packsDir, id)).isDirectory()) continue;
        for (const version of readdirSync(join(packsDir, id))) {
          const dir = join(packsDir, id, version);
          if (!existsSync(join(dir, 'pack.json'))) continue;
          let title: LocalizedText = {};
          try {
            title = readManifest(dir).title;
          } catch {
            // Listed anyway, so staff can see and replace a damaged install.
          }
          out.push({
            id,
            version,
            title,
            installedAt: statSync(dir).mtime.toISOString(),
            active: pointer?.id === id && pointer.version === version,
            previous: pointer?.previous?.id === id && pointer.previous.version === version,
          });
        }
      }
      return out.sort((a, b) => (a.id === b.id ? compareVersions(a.version, b.version) : a.id.localeCompare(b.id)));
    },

    async install(source, options) {
      if (!existsSync(source)) throw PackInstallError.single('install-missing', source, { file: source });
      const staging = join(stagingRoot, randomUUID());
      mkdirSync(staging, { recursive: true });
      try {
        const progress = (phase: 'copy' | 'verify') => (done: number, total: number) => options.onProgress?.(phase, done, total);
        if (statSync(source).isDirectory()) await copyFolder(source, staging, progress('copy'));
        else await extractPackArchive(source, staging, progress('copy'));
        const report = await validatePack(staging, { appVersion: options.appVersion, onProgress: progress('verify') });
        if (!report.ok || !report.manifest) throw new PackInstallError(report);
        const { id, version } = report.manifest;
        const target = versionDir(id, version);
        const current = readPointer();
        if (existsSync(target)) {
          if (current && current.id === id && current.version === version) {
            throw PackInstallError.single('install-in-use', 'pack.json', { id, version });
          }
          // Same version, not in use: replace it (the old copy goes aside first, so the swap is one rename).
          const aside = join(stagingRoot, `${randomUUID()}-old`);
          renameSync(target, aside);
        }
        syncTree(staging);
        mkdirSync(dirname(target), { recursive: true });
        renameSync(staging, target);
        const pack = options.activate === false ? load(id, version) : store.activate(id, version);
        return { pack, report };
      } finally {
        rmSync(stagingRoot, { recursive: true, force: true });
      }
    },

    activate(id, version) {
      const pack = load(id, version);
      const current = readPointer();
      const same = current && current.id === id && current.version === version;
      const previous = same ? current.previous : current ? { id: current.id, version: current.version } : null;
      writeFileAtomic(activeFile, `${JSON.stringify({ id, version, previous })}\n`);
      cache = null;
      return pack;
    },

    rollback() {
      const pointer = readPointer();
      if (!pointer?.previous) throw new Error('There is no previous pack to roll back to.');
      if (!store.dirOf(pointer.previous.id, pointer.previous.version)) {
        throw new Error(`The previous pack ${pointer.previous.id} ${pointer.previous.version} is no longer installed.`);
      }
      return store.activate(pointer.previous.id, pointer.previous.version);
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
  return store;
}

/** At first start the kiosk shows the pack it ships with; later starts keep whatever staff activated. */
export async function ensureActivePack(store: PackStore, bundledPackDir: string, appVersion: string): Promise<InstalledPack> {
  const current = store.active();
  if (current) return current;
  try {
    return (await store.install(bundledPackDir, { appVersion })).pack;
  } catch (error) {
    throw new Error(`The bundled pack at ${bundledPackDir} could not be installed: ${(error as Error).message}`);
  }
}

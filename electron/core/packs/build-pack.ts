import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../write-file-atomic';
import { AUTHORING_FILES, listPackFiles, sha256File } from './pack-files';
import { MANIFEST_FILE } from './read-manifest';
import { validatePack, type ValidationReport } from './validate/validate-pack';
import { writeKpack } from './zip/write-kpack';

export interface BuildResult {
  report: ValidationReport;
  /** Written only when the pack validates. */
  kpack: string | null;
}

/**
 * `pack build`: records every file's sha256 and size in pack.json (what install later checks), validates,
 * and writes `<id>-<version>.kpack`, byte-identical for identical input.
 */
export async function buildPack(
  packDir: string,
  options: { appVersion: string; outDir: string; onProgress?: (phase: 'hash' | 'zip', done: number, total: number) => void },
): Promise<BuildResult> {
  const files = listPackFiles(packDir).filter((f) => !f.isLink && f.path !== MANIFEST_FILE && !AUTHORING_FILES.has(f.path));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  const entries: Record<string, { sha256: string; size: number }> = {};
  for (const file of files) {
    const sha256 = await sha256File(join(packDir, file.path), (n) => {
      done += n;
      options.onProgress?.('hash', done, total);
    });
    entries[file.path] = { sha256, size: file.size };
  }
  const manifestPath = join(packDir, MANIFEST_FILE);
  const raw = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  raw.files = entries;
  writeFileAtomic(manifestPath, `${JSON.stringify(raw, null, 2)}\n`);

  // The hashes were just computed from these very files; checking them again would only double the time.
  const report = await validatePack(packDir, { appVersion: options.appVersion, verifyHashes: false });
  if (!report.ok || !report.manifest) return { report, kpack: null };
  mkdirSync(options.outDir, { recursive: true });
  const kpack = join(options.outDir, `${report.manifest.id}-${report.manifest.version}.kpack`);
  await writeKpack(packDir, [MANIFEST_FILE, ...files.map((f) => f.path)], kpack, (d, t) => options.onProgress?.('zip', d, t));
  return { report, kpack };
}

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signManifest, type BundleManifest, type BundleFileName } from '../../electron/core/log/bundle/bundle-format';
import { extractKpack } from '../../electron/core/packs/zip/read-kpack';
import { writeKpack } from '../../electron/core/packs/zip/write-kpack';
import { tempDir } from './temp-dir';
import type { tempKiosk } from './temp-kiosk';

export type TestKiosk = Awaited<ReturnType<typeof tempKiosk>>;

/** Adds `count` finished visits of a few events each; returns their ids. */
export async function addVisits(kiosk: TestKiosk, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { visitId } = await kiosk.service.startVisit({ locale: i % 2 === 0 ? 'zh-CN' : 'en' });
    kiosk.clock.advance(2_000);
    await kiosk.service.logEvents({
      visitId,
      events: [
        { type: 'exhibit.open', tMs: 2_000, exhibitId: 'consular', data: {} },
        { type: 'quiz.answer', tMs: 4_000, activityId: 'quiz', itemId: `q${i}`, data: { chosen: ['a'], correct: i % 3 === 0, ms: 1_500 } },
      ],
    });
    kiosk.clock.advance(10_000);
    await kiosk.service.endVisit({ visitId, reason: 'completed' });
    ids.push(visitId);
  }
  return ids;
}

export const BUNDLE_ENTRIES = ['manifest.json', 'visits.ndjson', 'events.ndjson', 'audit.ndjson'];

/** Unpacks a bundle, lets `edit` change the files, and zips them again as a new .kbundle. */
export async function rebuildBundle(bundle: string, edit: (dir: string) => void, name = 'edited.kbundle'): Promise<string> {
  const dir = join(tempDir('kiosk-rebundle-'), 'files');
  await extractKpack(bundle, dir);
  edit(dir);
  const out = join(tempDir('kiosk-rebundle-out-'), name);
  await writeKpack(dir, BUNDLE_ENTRIES, out);
  return out;
}

export const readManifest = (dir: string): BundleManifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
export const writeManifest = (dir: string, manifest: unknown) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));

/** Makes the manifest agree with a file that was changed (sha256 and size), without re-signing. */
export function refreshFileEntry(dir: string, file: BundleFileName): void {
  const bytes = readFileSync(join(dir, file));
  const manifest = readManifest(dir);
  manifest.files[file] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  writeManifest(dir, manifest);
}

/** Signs the manifest with a key of the caller's choice (an impostor's, in the tests). */
export function resign(dir: string, privateKeyPem: string, publicKeyPem: string): void {
  const { signature: _dropped, ...unsigned } = readManifest(dir);
  writeManifest(dir, signManifest({ ...unsigned, kiosk: { ...unsigned.kiosk, publicKey: publicKeyPem } }, privateKeyPem));
}

/** Rewrites one line of an ndjson file in place. */
export function editLine(dir: string, file: BundleFileName, index: number, change: (row: Record<string, unknown>) => void): void {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const row = JSON.parse(lines[index]!) as Record<string, unknown>;
  change(row);
  lines[index] = JSON.stringify(row);
  writeFileSync(join(dir, file), lines.join('\n'));
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { buildPack } from '../../electron/core/packs/build-pack';
import { createPackStore } from '../../electron/core/packs/pack-store';
import { validatePack } from '../../electron/core/packs/validate/validate-pack';
import { starterManifest } from '../../electron/core/packs/scaffold-pack';
import { appFiles } from '../../electron/cli/app-files';
import type { BenchRow } from './bench-row';

const MB = 1024 * 1024;

/** A valid pack of `videos` files of `sizeMb` each: a real WebM header, then random (incompressible) bytes. */
async function makeSyntheticPack(dir: string, videos: number, sizeMb: number): Promise<void> {
  const repo = join(appFiles.rendererDir, '..', '..');
  const head = readFileSync(join(repo, 'tests', 'fixtures', 'media', 'clip.webm'));
  const vtt = 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n';
  const manifest = starterManifest('org.example.bench', 'Bench');
  mkdirSync(join(dir, 'media'), { recursive: true });
  const chunk = Buffer.alloc(8 * MB);
  for (let i = 0; i < videos; i += 1) {
    const file = join(dir, 'media', `video-${i}.webm`);
    writeFileSync(file, head);
    for (let written = head.length; written < sizeMb * MB; written += chunk.length) {
      randomFillSync(chunk);
      writeFileSync(file, chunk, { flag: 'a' });
    }
    writeFileSync(join(dir, 'media', `video-${i}.vtt`), vtt);
    manifest.activities.push({
      id: `video-${i}`,
      type: 'video',
      title: { 'zh-CN': `视频 ${i}`, en: `Video ${i}` },
      src: `media/video-${i}.webm`,
      captions: { 'zh-CN': `media/video-${i}.vtt`, en: `media/video-${i}.vtt` },
    });
    manifest.exhibits[0]!.activities.push(`video-${i}`);
  }
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(manifest, null, 2));
  const built = await buildPack(dir, { appVersion: '99.0.0', outDir: join(dir, '..', 'out') });
  if (!built.report.ok) throw new Error(`synthetic pack invalid: ${JSON.stringify(built.report.errors.slice(0, 3))}`);
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** validate + install of a ~1 GB pack, against `sha256sum` + `cp -r` of the same files, caches warm for both. */
export async function benchPackInstall(rows: BenchRow[], totalMb = 1024): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-bench-pack-'));
  try {
    const src = join(root, 'pack');
    await makeSyntheticPack(src, 8, totalMb / 8);
    // Warm the page cache for both sides alike.
    execFileSync('sh', ['-c', `cat "${src}"/media/* > /dev/null`]);

    let start = process.hrtime.bigint();
    execFileSync('sh', ['-c', `sha256sum "${src}"/media/* "${src}"/pack.json > /dev/null && cp -r "${src}" "${root}/copy"`]);
    const baseline = seconds(start);

    start = process.hrtime.bigint();
    const report = await validatePack(src, { appVersion: '99.0.0' });
    if (!report.ok) throw new Error('validate failed');
    const store = createPackStore(join(root, 'data', 'packs'));
    await store.install(src, { appVersion: '99.0.0' });
    const ours = seconds(start);
    rows.push({
      measure: `pack validate + install, ${totalMb} MB`,
      ours: `${ours.toFixed(2)} s`,
      baseline: `${baseline.toFixed(2)} s sha256sum + cp -r`,
      ratio: `${(ours / baseline).toFixed(2)} ×`,
      target: '≤ 1.5 ×',
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}


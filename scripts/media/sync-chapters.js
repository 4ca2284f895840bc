#!/usr/bin/env node
// Rewrites the chapter times of the pack's video activities from timings.json (written by
// generate.js), so chapter markers keep matching the slides after the narration changes.
//   node scripts/media/sync-chapters.js [path/to/media.json] [--pack path/to/pack.json]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_MEDIA_JSON = 'resources/media-src/consular-protection/media.json';
const CHAPTER_LOCALE = 'zh-CN';

function srcPaths(src) {
  if (typeof src === 'string') return [src];
  if (src && typeof src === 'object') return Object.values(src).filter((v) => typeof v === 'string');
  return [];
}

/** Which generated video an activity plays: its src file is named <video id>.<locale>.webm. */
function videoIdOf(activity, videoIds) {
  const names = srcPaths(activity.src).map((p) => basename(p));
  return (
    videoIds.find((id) => names.some((n) => n.startsWith(`${id}.`))) ??
    videoIds.find((id) => id === activity.id)
  );
}

function* videoActivities(node) {
  if (Array.isArray(node)) {
    for (const item of node) yield* videoActivities(item);
  } else if (node && typeof node === 'object') {
    if (node.type === 'video' && Array.isArray(node.chapters)) yield node;
    for (const value of Object.values(node)) yield* videoActivities(value);
  }
}

/**
 * @param {string} mediaJsonPath
 * @param {string} [packPathOverride] another pack.json to rewrite (a copy, for a dry run)
 * @returns {{ packPath: string, changed: number, warnings: string[] }}
 */
export function syncChapters(mediaJsonPath, packPathOverride) {
  const media = JSON.parse(readFileSync(mediaJsonPath, 'utf8'));
  const timingsPath = join(dirname(mediaJsonPath), 'timings.json');
  if (!existsSync(timingsPath)) throw new Error(`${timingsPath} not found; run scripts/media/generate.js first`);
  const timings = JSON.parse(readFileSync(timingsPath, 'utf8'));
  const packDir = resolve(REPO_ROOT, media.pack);
  const packPath = packPathOverride ? resolve(packPathOverride) : join(packDir, 'pack.json');
  if (!existsSync(packPath)) throw new Error(`${packPath} not found`);
  const pack = JSON.parse(readFileSync(packPath, 'utf8'));

  const warnings = [];
  const videoIds = Object.keys(timings.videos ?? {});
  let changed = 0;
  for (const activity of videoActivities(pack)) {
    const id = videoIdOf(activity, videoIds);
    if (!id) {
      warnings.push(`activity "${activity.id}": no generated video matches its src; chapters left as they are`);
      continue;
    }
    const t = timings.videos[id][CHAPTER_LOCALE] ?? Object.values(timings.videos[id])[0];
    const starts = t.starts;
    if (activity.chapters.length !== starts.length) {
      warnings.push(
        `activity "${activity.id}": ${activity.chapters.length} chapters but ${starts.length} slides in "${id}"; ` +
          `only the first ${Math.min(activity.chapters.length, starts.length)} were set`,
      );
    }
    activity.chapters.forEach((chapter, i) => {
      if (i < starts.length && chapter.at !== starts[i]) {
        chapter.at = starts[i];
        changed++;
      }
    });
  }

  if (changed) {
    const tmp = `${packPath}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(pack, null, 2)}\n`);
    renameSync(tmp, packPath);
  }
  warnings.push(...staleFileEntries(pack, packDir));
  return { packPath, changed, warnings };
}

/** The pack's optional files{} list pins sha256/size; regenerated media makes those entries stale. */
function staleFileEntries(pack, packDir) {
  if (!pack.files || typeof pack.files !== 'object') return [];
  const stale = [];
  for (const [rel, entry] of Object.entries(pack.files)) {
    if (!rel.startsWith('media/')) continue;
    const abs = join(packDir, rel);
    if (!existsSync(abs)) continue;
    const sha = createHash('sha256').update(readFileSync(abs)).digest('hex');
    if (sha !== entry.sha256) stale.push(rel);
  }
  return stale.length ? [`pack.json "files" has outdated sha256/size for: ${stale.join(', ')}`] : [];
}

export function runSyncChapters(mediaJsonArg, packPathOverride) {
  const mediaJsonPath = resolve(mediaJsonArg ?? join(REPO_ROOT, DEFAULT_MEDIA_JSON));
  const { packPath, changed, warnings } = syncChapters(mediaJsonPath, packPathOverride);
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`${changed ? `updated ${changed} chapter time(s) in` : 'chapters already current in'} ${packPath}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values, positionals } = parseArgs({ options: { pack: { type: 'string' } }, allowPositionals: true });
    runSyncChapters(positionals[0], values.pack);
  } catch (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
}

#!/usr/bin/env node
// Builds the demo media of a content pack from a media.json script: narrated slide videos with
// captions and posters, the silent attract loop, tile pictures and the logo. See README.md here.
//   node scripts/media/generate.js [path/to/media.json]             generate everything
//   node scripts/media/generate.js --chapters [path/to/media.json]  only rewrite pack.json chapter times
//     (--pack path/to/pack.json rewrites another copy instead)
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { dirname, extname, join, relative, resolve, basename, sep } from 'node:path';
import { checkTools } from './tools.js';
import { renderSlide, renderTile, renderLogo, toJpeg, SLIDE_W, SLIDE_H } from './slides.js';
import { speak, writeSilentWav } from './speech.js';
import { timeSlideCues, toWebVtt } from './subtitles.js';
import { encodeNarrated, encodeAttract, verifyVideo, probe } from './encode.js';
import { REPO_ROOT, DEFAULT_MEDIA_JSON, runSyncChapters } from './sync-chapters.js';

// Still slides need few frames; 10 fps keeps files small and every slide edge on a 0.1 s grid.
const FPS = 10;
const PAUSE_SECONDS = 0.4;
const ATTRACT_FADE_SECONDS = 0.6;
const SILENT_SLIDE_SECONDS = 4;
const MAX_FILE_BYTES = 5 * 1000 * 1000;
const MAX_TOTAL_BYTES = 15 * 1000 * 1000;
const FOOTER = '领事保护进万家 · Consular Protection for All';
const PRIMARY_LOCALE = 'zh-CN';
const TILE = { width: 800, height: 500 };
const LOGO = { width: 256, height: 256 };
const LOGO_DEFAULT = { file: 'media/img/logo.png', icon: '领保', color: '#b3261e' };

const STYLE = {
  title: { size: 64, bold: true, color: '#ffffff' },
  bullet: { size: 46, color: '#eef2f8' },
  attractTitle: { size: 64, bold: true, color: '#ffffff' },
  attractSubtitle: { size: 32, color: '#f6d9d6' },
  attractBullet: { size: 44, color: '#eef2f8' },
  attractBulletSecond: { size: 28, color: '#aebbd3' },
};

class InputError extends Error {}

function warn(message) {
  console.warn(`warning: ${message}`);
}

/** Locales in the order the script first mentions them, with zh-CN (the pack default) first. */
function localesOf(media) {
  const found = new Set();
  const visit = (obj) => {
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) Object.keys(obj).forEach((k) => found.add(k));
  };
  for (const video of media.videos ?? []) {
    for (const slide of video.slides ?? []) [slide.title, slide.bullets, slide.narration].forEach(visit);
  }
  for (const slide of media.attract?.slides ?? []) [slide.title, slide.bullets].forEach(visit);
  const list = [...found];
  return list.includes(PRIMARY_LOCALE) ? [PRIMARY_LOCALE, ...list.filter((l) => l !== PRIMARY_LOCALE)] : list;
}

/** The text for a locale; a missing translation falls back to the first one present, with a warning. */
function pick(localized, locale, where) {
  if (localized === undefined || localized === null) return undefined;
  if (typeof localized === 'string' || Array.isArray(localized)) return localized;
  if (localized[locale] !== undefined && localized[locale] !== null) return localized[locale];
  const other = Object.values(localized)[0];
  if (other !== undefined) warn(`${where}: no ${locale} text, using another locale's`);
  return other;
}

function asList(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Output paths come from the input file, so they must not climb out of the pack (or the pack out of the repo). */
function inside(root, rel, what) {
  const abs = resolve(root, rel);
  if (abs !== root && !abs.startsWith(root + sep)) throw new InputError(`${what} "${rel}" points outside ${root}`);
  return abs;
}

function readMedia(path) {
  if (!existsSync(path)) throw new InputError(`input not found: ${path}`);
  let media;
  try {
    media = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path}: ${err.message}`);
  }
  if (typeof media.pack !== 'string') throw new InputError(`${path}: "pack" (output folder) missing`);
  for (const v of media.videos ?? []) {
    if (!/^[a-z0-9-]+$/.test(v.id ?? '')) throw new InputError(`${path}: video id "${v.id}" must use only a-z, 0-9 and -`);
    if (!v.slides?.length) throw new InputError(`${path}: video "${v.id}" has no slides`);
  }
  return media;
}

function shown(path) {
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

function sizeLabel(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

function buildVideo(video, locale, footer, ctx, work) {
  const slides = [];
  const cues = [];
  const starts = [];
  let frame = 0;
  video.slides.forEach((slide, i) => {
    const where = `video "${video.id}" slide ${i + 1}`;
    const stem = join(work, `${video.id}.${locale}.${i}`);
    renderSlide(
      {
        band: [{ ...STYLE.title, text: pick(slide.title, locale, where) ?? '' }],
        items: asList(pick(slide.bullets, locale, where)).map((text) => [{ ...STYLE.bullet, text }]),
        footer,
        page: `${i + 1} / ${video.slides.length}`,
      },
      `${stem}.png`,
      ctx,
    );
    const narration = pick(slide.narration, locale, where);
    let speech;
    if (narration && narration.trim()) {
      speech = speak(narration.trim(), locale, `${stem}.wav`);
    } else {
      warn(`${where}: no narration in ${locale}; showing it silently for ${SILENT_SLIDE_SECONDS} s`);
      speech = SILENT_SLIDE_SECONDS - PAUSE_SECONDS;
      writeSilentWav(`${stem}.wav`, 0.1);
    }
    // The slide lasts its narration plus the pause, rounded up to a whole frame so slide changes,
    // chapter marks and keyframes all land on the same instant.
    const frames = Math.ceil((speech + PAUSE_SECONDS) * FPS - 1e-6);
    const start = frame / FPS;
    starts.push(Number(start.toFixed(3)));
    if (narration && narration.trim()) cues.push(...timeSlideCues(narration.trim(), start, speech, frames / FPS));
    slides.push({ png: `${stem}.png`, wav: `${stem}.wav`, frames });
    frame += frames;
  });
  const duration = Number((frame / FPS).toFixed(3));
  const webm = join(work, `${video.id}.${locale}.webm`);
  encodeNarrated(slides, FPS, webm);
  verifyVideo(webm, { audio: true, duration, width: SLIDE_W, height: SLIDE_H, maxBytes: MAX_FILE_BYTES, size: statSync(webm).size });
  const vtt = join(work, `${video.id}.${locale}.vtt`);
  writeFileSync(vtt, toWebVtt(cues));
  return { webm, vtt, firstSlide: slides[0].png, timing: { starts, duration } };
}

function buildAttract(attract, locales, footer, ctx, work) {
  const [first, ...rest] = locales;
  const slides = attract.slides.map((slide, i) => {
    const where = `attract slide ${i + 1}`;
    // Chinese large, the other languages smaller beneath: one loop serves every visitor.
    const titles = [pick(slide.title, first, where), ...rest.map((l) => slide.title?.[l])];
    const bulletsBy = [first, ...rest].map((l) => asList(l === first ? pick(slide.bullets, l, where) : slide.bullets?.[l]));
    const count = Math.max(...bulletsBy.map((b) => b.length));
    const items = Array.from({ length: count }, (_, k) =>
      bulletsBy.map((list, li) => ({ ...(li === 0 ? STYLE.attractBullet : STYLE.attractBulletSecond), text: list[k] ?? '' })),
    );
    const png = join(work, `attract.${i}.png`);
    renderSlide(
      {
        band: titles.map((text, li) => ({ ...(li === 0 ? STYLE.attractTitle : STYLE.attractSubtitle), text: text ?? '' })),
        items,
        footer,
      },
      png,
      ctx,
    );
    const seconds = Number(slide.seconds) > 0 ? Number(slide.seconds) : 5;
    return { png, frames: Math.max(Math.round(seconds * FPS), 2 * Math.round(ATTRACT_FADE_SECONDS * FPS)) };
  });
  const webm = join(work, 'attract.webm');
  const fadeFrames = Math.round(ATTRACT_FADE_SECONDS * FPS);
  encodeAttract(slides, FPS, fadeFrames, webm);
  const frames = slides.reduce((s, x) => s + x.frames, 0);
  const duration = Number((frames / FPS).toFixed(3));
  verifyVideo(webm, { audio: false, duration, width: SLIDE_W, height: SLIDE_H, maxBytes: MAX_FILE_BYTES, size: statSync(webm).size });
  let at = 0;
  const starts = slides.map((s) => {
    const start = Number((at / FPS).toFixed(3));
    at += s.frames;
    return start;
  });
  return { webm, timing: { starts, duration } };
}

const IMAGE_OUTPUT = {
  '.webp': ['-quality', '85', '-define', 'webp:method=6'],
  '.png': ['-define', 'png:compression-level=9'],
  '.jpg': ['-quality', '85', '-sampling-factor', '4:2:0'],
  '.jpeg': ['-quality', '85', '-sampling-factor', '4:2:0'],
};

function isLogo(entry) {
  return entry.kind === 'logo' || /^logo\b/i.test(basename(entry.file));
}

function buildImage(entry, locales, ctx, work, index) {
  const ext = extname(entry.file).toLowerCase();
  if (!IMAGE_OUTPUT[ext]) throw new InputError(`image "${entry.file}": use .webp, .png or .jpg`);
  const logo = isLogo(entry);
  const { width, height } = { ...(logo ? LOGO : TILE), ...(entry.width && entry.height ? { width: entry.width, height: entry.height } : {}) };
  const out = join(work, `image.${index}${ext}`);
  const titles = locales.map((l) => entry.title?.[l]).filter(Boolean);
  const spec = { icon: entry.icon, color: entry.color ?? '#b3261e', titles, width, height };
  if (logo) renderLogo(spec, out, ctx, IMAGE_OUTPUT[ext]);
  else renderTile(spec, out, ctx, IMAGE_OUTPUT[ext]);
  const stream = probe(out).streams?.[0];
  if (stream?.width !== width || stream?.height !== height) {
    throw new Error(`verification failed for ${entry.file}: ${stream?.width}×${stream?.height}, want ${width}×${height}`);
  }
  return out;
}

/** Copies next to the destination first, then renames, so a reader never sees half a file. */
function moveIntoPlace(src, dest) {
  mkdirSync(dirname(dest), { recursive: true });
  const partial = `${dest}.partial-${process.pid}`;
  copyFileSync(src, partial);
  renameSync(partial, dest);
}

function generate(mediaJsonPath) {
  const ctx = checkTools();
  const media = readMedia(mediaJsonPath);
  const footer = media.footer ?? FOOTER;
  const packDir = inside(REPO_ROOT, media.pack, '"pack"');
  const locales = localesOf(media);
  if (!locales.length) throw new InputError(`${mediaJsonPath}: no localized text found`);

  const work = mkdtempSync(join(tmpdir(), 'kiosk-media-'));
  try {
    /** @type {{ src: string, dest: string }[]} */
    const outputs = [];
    const timings = { fps: FPS, pauseSeconds: PAUSE_SECONDS, videos: {} };
    const add = (src, rel) => outputs.push({ src, dest: inside(packDir, rel, 'output') });

    for (const video of media.videos ?? []) {
      timings.videos[video.id] = {};
      let poster = null;
      for (const locale of locales) {
        const built = buildVideo(video, locale, footer, ctx, work);
        add(built.webm, `media/video/${video.id}.${locale}.webm`);
        add(built.vtt, `media/video/${video.id}.${locale}.vtt`);
        timings.videos[video.id][locale] = built.timing;
        poster ??= built.firstSlide;
      }
      const jpg = join(work, `${video.id}.jpg`);
      toJpeg(poster, jpg, ctx, 80);
      add(jpg, `media/video/${video.id}.jpg`);
    }

    if (media.attract?.slides?.length) {
      const built = buildAttract(media.attract, locales, footer, ctx, work);
      add(built.webm, 'media/video/attract.webm');
      timings.attract = built.timing;
    }

    const images = [...(media.images ?? [])];
    if (media.logo) images.push({ ...media.logo, kind: 'logo' });
    if (!images.some(isLogo)) images.push({ ...LOGO_DEFAULT, kind: 'logo' });
    images.forEach((entry, i) => {
      if (typeof entry.file !== 'string') throw new InputError(`images[${i}]: "file" missing`);
      add(buildImage(entry, locales, ctx, work, i), entry.file);
    });

    const total = outputs.reduce((s, o) => s + statSync(o.src).size, 0);
    if (total > MAX_TOTAL_BYTES) {
      throw new Error(`generated media total ${sizeLabel(total)}, over the ${sizeLabel(MAX_TOTAL_BYTES)} budget; nothing was written`);
    }

    for (const o of outputs) {
      moveIntoPlace(o.src, o.dest);
      console.log(`${sizeLabel(statSync(o.dest).size).padStart(10)}  ${shown(o.dest)}`);
    }
    const timingsPath = join(dirname(mediaJsonPath), 'timings.json');
    const timingsTmp = join(work, 'timings.json');
    writeFileSync(timingsTmp, `${JSON.stringify(timings, null, 2)}\n`);
    moveIntoPlace(timingsTmp, timingsPath);
    console.log(`${sizeLabel(statSync(timingsPath).size).padStart(10)}  ${shown(timingsPath)}`);
    console.log(`${sizeLabel(total).padStart(10)}  total media`);
    for (const [id, byLocale] of Object.entries(timings.videos)) {
      for (const [locale, t] of Object.entries(byLocale)) {
        console.log(`            ${id} ${locale}: ${t.duration.toFixed(1)} s, ${t.starts.length} slides`);
      }
    }
    if (timings.attract) console.log(`            attract: ${timings.attract.duration.toFixed(1)} s, ${timings.attract.starts.length} slides`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const { values, positionals } = parseArgs({
    options: { chapters: { type: 'boolean' }, pack: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log('usage: node scripts/media/generate.js [path/to/media.json]\n' +
      '       node scripts/media/generate.js --chapters [path/to/media.json] [--pack path/to/pack.json]');
    return;
  }
  const mediaJsonPath = resolve(positionals[0] ?? join(REPO_ROOT, DEFAULT_MEDIA_JSON));
  if (values.chapters) runSyncChapters(mediaJsonPath, values.pack);
  else generate(mediaJsonPath);
}

try {
  main();
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exit(1);
}


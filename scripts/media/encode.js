// ffmpeg encodes for the slide videos and the attract loop, and the ffprobe check of every result.
import { run } from './tools.js';

// Byte-identical output on re-runs: no encoder/version tags, dates or random UIDs in the file.
const BITEXACT = ['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1', '-map_chapters', '-1'];

// Still slides barely change between frames, so a high CRF still gives sharp text.
const VP9 = [
  '-c:v', 'libvpx-vp9', '-crf', '36', '-b:v', '0', '-deadline', 'good', '-cpu-used', '2', '-row-mt', '1',
  '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
];

// RGB slides → BT.709 limited range, matching the tags above so the pack red stays the pack red.
const TO_YUV = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1';

const FFMPEG = ['-y', '-hide_banner', '-nostdin', '-loglevel', 'error'];

function stillInput(png, fps, frames) {
  // -t leaves a margin; trim cuts the exact frame count, so timing is never off by a rounding error.
  return ['-framerate', String(fps), '-loop', '1', '-t', String(frames / fps + 1), '-i', png];
}

function seconds(frames, fps) {
  return Number((frames / fps).toFixed(6));
}

/**
 * One slide video with narration: slide i is shown for frames[i] frames while its WAV plays,
 * padded with silence to the same length. Keyframes at slide starts make chapter jumps instant.
 * @param {{ png: string, wav: string, frames: number }[]} slides
 */
export function encodeNarrated(slides, fps, outPath) {
  const inputs = [];
  for (const s of slides) inputs.push(...stillInput(s.png, fps, s.frames));
  for (const s of slides) inputs.push('-i', s.wav);
  const n = slides.length;
  const parts = [];
  const concatIn = [];
  slides.forEach((s, i) => {
    const samples = Math.round((s.frames / fps) * 48000);
    parts.push(`[${i}:v]trim=end_frame=${s.frames},setpts=PTS-STARTPTS,${TO_YUV}[v${i}]`);
    parts.push(
      `[${n + i}:a]aresample=48000,aformat=sample_fmts=s16:channel_layouts=mono,` +
        `apad=whole_len=${samples},atrim=end_sample=${samples},asetpts=PTS-STARTPTS[a${i}]`,
    );
    concatIn.push(`[v${i}][a${i}]`);
  });
  parts.push(`${concatIn.join('')}concat=n=${n}:v=1:a=1[v][a]`);

  const starts = [];
  let at = 0;
  for (const s of slides) {
    if (at > 0) starts.push(seconds(at, fps));
    at += s.frames;
  }
  run('ffmpeg', [
    ...FFMPEG, ...inputs,
    '-filter_complex', parts.join(';'), '-map', '[v]', '-map', '[a]',
    ...VP9, '-g', String(fps * 30), ...(starts.length ? ['-force_key_frames', starts.join(',')] : []),
    '-c:a', 'libopus', '-b:a', '48k', '-ac', '1', '-application', 'voip',
    ...BITEXACT, '-f', 'webm', outPath,
  ]);
}

/**
 * The silent attract loop. Each slide owns `frames` frames; the fade into the next slide happens in
 * the last fadeFrames of it, and the loop ends by fading back into the first slide, so the jump from
 * the last frame to the first is invisible.
 * @param {{ png: string, frames: number }[]} slides
 */
export function encodeAttract(slides, fps, fadeFrames, outPath) {
  const clips = slides.length > 1 ? [...slides, { png: slides[0].png, frames: fadeFrames, closing: true }] : slides;
  const inputs = [];
  const parts = [];
  clips.forEach((c, i) => {
    // Every clip after the first also covers the fade that brings it in.
    const frames = i === 0 || c.closing ? c.frames : c.frames + fadeFrames;
    inputs.push(...stillInput(c.png, fps, frames));
    parts.push(`[${i}:v]trim=end_frame=${frames},setpts=PTS-STARTPTS,${TO_YUV}[c${i}]`);
  });
  let last = 'c0';
  let owned = 0;
  for (let i = 1; i < clips.length; i++) {
    owned += slides[i - 1].frames;
    const offset = seconds(owned - fadeFrames, fps);
    parts.push(`[${last}][c${i}]xfade=transition=fade:duration=${seconds(fadeFrames, fps)}:offset=${offset}[x${i}]`);
    last = `x${i}`;
  }
  run('ffmpeg', [
    ...FFMPEG, ...inputs,
    '-filter_complex', parts.join(';'), '-map', `[${last}]`, '-an',
    ...VP9, '-g', String(fps * 30),
    ...BITEXACT, '-f', 'webm', outPath,
  ]);
}

export function probe(path) {
  const res = run('ffprobe', [
    '-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height,channels',
    '-of', 'json', path,
  ]);
  return JSON.parse(res.stdout);
}

/**
 * Fails unless the file is VP9 1280×720 (+ Opus when audio is expected), as long as planned, and small.
 * @returns {number} the probed duration in seconds
 */
export function verifyVideo(path, { audio, duration, width, height, maxBytes, size }) {
  const info = probe(path);
  const streams = info.streams ?? [];
  const video = streams.filter((s) => s.codec_type === 'video');
  const sound = streams.filter((s) => s.codec_type === 'audio');
  const problems = [];
  if (video.length !== 1 || video[0].codec_name !== 'vp9') problems.push(`video stream: ${video.map((s) => s.codec_name).join(',') || 'none'}, want one vp9`);
  if (video[0] && (video[0].width !== width || video[0].height !== height)) problems.push(`size ${video[0].width}×${video[0].height}, want ${width}×${height}`);
  if (audio && (sound.length !== 1 || sound[0].codec_name !== 'opus')) problems.push(`audio stream: ${sound.map((s) => s.codec_name).join(',') || 'none'}, want one opus`);
  if (!audio && sound.length) problems.push('has an audio track, want none');
  const got = Number(info.format?.duration);
  // Opus adds a few ms of pre-skip; anything beyond a frame or two means the timeline is wrong.
  if (!(Math.abs(got - duration) <= 0.15)) problems.push(`duration ${got}s, want ${duration}s`);
  if (size > maxBytes) problems.push(`${(size / 1e6).toFixed(2)} MB, over the ${(maxBytes / 1e6).toFixed(1)} MB limit`);
  if (problems.length) throw new Error(`verification failed for ${path}:\n  - ${problems.join('\n  - ')}`);
  return got;
}

import { open, type FileHandle } from 'node:fs/promises';
import { isImageKind, readImageSize } from './image-size';
import { kindsForExtension, normalizeExtension, type MediaKind } from './media-kind';
import { parseWebVtt } from './parse-webvtt';
import { sniffMediaKind } from './sniff-media';

export type PreflightResult =
  | { ok: true; kind: MediaKind | 'vtt'; width?: number; height?: number; cues?: number }
  | { ok: false; code: string; line?: number; found?: MediaKind | null };

// Every signature and the PNG, WebP and usual AVIF headers sit well inside this.
const HEAD_BYTES = 64 * 1024;
// EXIF thumbnails, ICC profiles and XMP can push a JPEG's frame header far past the head.
const JPEG_EXTRA_BYTES = 512 * 1024;
// Captions for an exhibit video are tens of kilobytes; megabytes mean the wrong file.
const MAX_VTT_BYTES = 2 * 1024 * 1024;

/**
 * Checks that a pack file will play or show: the container by its bytes, images by their header, captions in full.
 * Rejects with a TypeError for extensions that are not media or captions (such as .json and .md), and with the
 * file system's error when the file cannot be read.
 */
export async function preflightFile(absPath: string, ext: string): Promise<PreflightResult> {
  const extension = normalizeExtension(ext);
  const allowed = kindsForExtension(extension);
  if (extension !== 'vtt' && allowed.length === 0) {
    throw new TypeError(`preflightFile checks media and .vtt captions, not .${extension} files (${absPath})`);
  }
  const file = await open(absPath, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return { ok: false, code: 'media-empty' };
    return extension === 'vtt' ? await preflightCaptions(file, size) : await preflightMedia(file, size, allowed);
  } finally {
    await file.close();
  }
}

async function preflightCaptions(file: FileHandle, size: number): Promise<PreflightResult> {
  if (size > MAX_VTT_BYTES) return { ok: false, code: 'vtt-too-large' };
  const { cues, problems } = parseWebVtt(await readBytes(file, 0, size));
  const [first] = problems;
  return first ? { ok: false, code: first.code, line: first.line } : { ok: true, kind: 'vtt', cues: cues.length };
}

async function preflightMedia(file: FileHandle, size: number, allowed: readonly MediaKind[]): Promise<PreflightResult> {
  let head = await readBytes(file, 0, Math.min(size, HEAD_BYTES));
  const kind = sniffMediaKind(head);
  if (kind === null) return { ok: false, code: 'media-unknown-container', found: null };
  if (!allowed.includes(kind)) return { ok: false, code: 'media-wrong-type', found: kind };
  if (!isImageKind(kind)) return { ok: true, kind };

  let image = readImageSize(head, kind);
  if (!image.ok && image.code === 'image-truncated' && kind === 'jpeg' && size > head.length) {
    const more = await readBytes(file, head.length, Math.min(size - head.length, JPEG_EXTRA_BYTES));
    head = concat(head, more);
    image = readImageSize(head, kind);
  }
  if (image.ok) return { ok: true, kind, width: image.width, height: image.height };
  // The file goes on past what was read, so its header is not cut short but further in than preflight looks.
  const headerTooFar = image.code === 'image-truncated' && size > head.length;
  return { ok: false, code: headerTooFar ? 'image-header-too-far' : image.code };
}

/** Reads until `length` bytes or the end of the file, since one read may return less than asked for. */
async function readBytes(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

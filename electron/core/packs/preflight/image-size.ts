import { readAvifHeader } from './avif-header';
import { readJpegHeader } from './jpeg-header';
import { readPngHeader } from './png-header';
import type { MediaKind } from './media-kind';
import { readWebpHeader } from './webp-header';

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'avif';

/** What a format's header reader finds: the stored size, or why it cannot be read. */
export type HeaderReading = { width: number; height: number } | 'image-truncated' | 'image-corrupt';

export type ImageSizeResult =
  | { ok: true; width: number; height: number }
  | { ok: false; code: 'image-truncated' | 'image-corrupt' | 'image-dimensions' };

// Many times wider than any kiosk screen and, decoded, a gigabyte of pixels: a larger side is a wrong export.
const MAX_SIDE = 16384;

const HEADER_READERS: Readonly<Record<ImageKind, (bytes: Uint8Array) => HeaderReading>> = {
  png: readPngHeader,
  jpeg: readJpegHeader,
  webp: readWebpHeader,
  avif: readAvifHeader,
};

export function isImageKind(kind: MediaKind): kind is ImageKind {
  return Object.hasOwn(HEADER_READERS, kind);
}

/** The width and height stored in an image's header; `bytes` is the start of the file. */
export function readImageSize(bytes: Uint8Array, kind: ImageKind): ImageSizeResult {
  const reading = HEADER_READERS[kind](bytes);
  if (typeof reading === 'string') return { ok: false, code: reading };
  const { width, height } = reading;
  if (width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE) return { ok: false, code: 'image-dimensions' };
  return { ok: true, width, height };
}

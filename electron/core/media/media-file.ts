import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** The types a pack may contain (content-pack.md); anything else is never served. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.vtt': 'text/vtt; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export interface MediaFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * Resolves a request path inside a pack folder, refusing anything that would leave it (.., absolute
 * paths, links pointing out) or that is not an allowed media type. Null means 404.
 */
export function resolveMediaFile(packDir: string, requestPath: string): MediaFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || isAbsolute(decoded)) return null;
  const contentType = MEDIA_TYPES[extname(decoded).toLowerCase()];
  if (!contentType) return null;
  try {
    const root = realpathSync(packDir);
    const real = realpathSync(resolve(root, decoded));
    const rel = relative(root, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
    const stat = statSync(real);
    if (!stat.isFile()) return null;
    return { path: real, size: stat.size, contentType };
  } catch {
    return null;
  }
}

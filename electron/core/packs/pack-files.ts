import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/** What a pack may contain (content-pack.md): media, captions, JSON and Markdown; nothing executable. */
export const ALLOWED_EXTENSIONS = {
  video: ['.webm', '.mp4', '.m4v'],
  captions: ['.vtt'],
  image: ['.png', '.jpg', '.jpeg', '.webp', '.avif'],
  audio: ['.mp3', '.m4a', '.ogg', '.opus'],
  document: ['.json', '.md'],
} as const;
export type FileKind = keyof typeof ALLOWED_EXTENSIONS;
export const ALL_ALLOWED: readonly string[] = Object.values(ALLOWED_EXTENSIONS).flat();

export function kindOfExtension(file: string): FileKind | null {
  const ext = extname(file).toLowerCase();
  for (const [kind, list] of Object.entries(ALLOWED_EXTENSIONS)) if ((list as readonly string[]).includes(ext)) return kind as FileKind;
  return null;
}

/** Authoring aids that may sit in a pack folder but stay out of the `files` list and the .kpack. */
export const AUTHORING_FILES: ReadonlySet<string> = new Set(['pack.schema.json']);

export interface PackFileEntry {
  /** Relative to the pack, with / separators. */
  path: string;
  size: number;
  isLink: boolean;
}

/** Every file below the pack folder, links reported rather than followed. Sorted for stable output. */
export function listPackFiles(packDir: string): PackFileEntry[] {
  const out: PackFileEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const abs = join(dir, entry.name);
      if (entry.isSymbolicLink()) out.push({ path: rel, size: 0, isLink: true });
      else if (entry.isDirectory()) walk(abs, rel);
      else if (entry.isFile()) out.push({ path: rel, size: lstatSync(abs).size, isLink: false });
    }
  };
  walk(packDir, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** sha256 of a file, streamed: packs hold videos of hundreds of megabytes. */
export function sha256File(path: string, onBytes?: (n: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => {
        hash.update(chunk);
        onBytes?.(chunk.length);
      })
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

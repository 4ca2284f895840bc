export type MediaKind = 'webm' | 'mp4' | 'png' | 'jpeg' | 'webp' | 'avif' | 'mp3' | 'ogg' | 'm4a';

// An .m4a may carry a generic 'isom'/'mp42' brand: many audio encoders do not write 'M4A '.
const KINDS_BY_EXTENSION = new Map<string, readonly MediaKind[]>([
  ['webm', ['webm']],
  ['mp4', ['mp4']],
  ['m4v', ['mp4']],
  ['png', ['png']],
  ['jpg', ['jpeg']],
  ['jpeg', ['jpeg']],
  ['webp', ['webp']],
  ['avif', ['avif']],
  ['mp3', ['mp3']],
  ['m4a', ['m4a', 'mp4']],
  ['ogg', ['ogg']],
  ['opus', ['ogg']],
]);

/** Lower-case and without the dot, so '.JPG' and 'jpg' name the same extension. */
export function normalizeExtension(ext: string): string {
  return ext.replace(/^\./, '').toLowerCase();
}

/** The kinds a file with this extension may contain; empty for extensions that are not media. */
export function kindsForExtension(ext: string): readonly MediaKind[] {
  return KINDS_BY_EXTENSION.get(normalizeExtension(ext)) ?? [];
}

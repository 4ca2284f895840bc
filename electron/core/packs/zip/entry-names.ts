import { ZipSafetyError } from './zip-safety-error';

const DRIVE_LETTER = /^[A-Za-z]:/;
/** Characters Windows refuses in a name; ':' would also open an NTFS alternate data stream. */
const NOT_ALLOWED_ON_WINDOWS = /[\p{Cc}<>:"|?*]/u;
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
/** Windows silently drops a trailing dot or space, so "a." and "a" would be one file there. */
const TRAILING_DOT_OR_SPACE = /[. ]$/;

/** The entry's path without the '/' that marks a directory entry. */
export const entryPath = (name: string): string => (name.endsWith('/') ? name.slice(0, -1) : name);

/**
 * Refuses a name that could land outside the destination folder or that would mean a different file,
 * or no file at all, on another operating system. Packs are authored anywhere and played on Windows.
 */
export function assertSafeEntryName(name: string): void {
  if (name.startsWith('/') || DRIVE_LETTER.test(name)) throw new ZipSafetyError('zip-absolute-path', name);
  if (name.includes('\\')) throw new ZipSafetyError('zip-backslash', name);
  const segments = entryPath(name).split('/');
  if (segments.includes('..')) throw new ZipSafetyError('zip-parent-path', name);
  for (const segment of segments) {
    const reason = whyNotPortable(segment);
    if (reason !== null) throw new ZipSafetyError('zip-unsupported', name, { reason, segment });
  }
}

function whyNotPortable(segment: string): string | null {
  if (segment === '' || segment === '.') return 'empty-or-dot-segment';
  if (NOT_ALLOWED_ON_WINDOWS.test(segment)) return 'character-not-allowed-on-windows';
  if (TRAILING_DOT_OR_SPACE.test(segment)) return 'trailing-dot-or-space';
  if (WINDOWS_DEVICE_NAME.test(segment)) return 'windows-device-name';
  return null;
}

/** Windows and macOS compare names case-insensitively, and macOS also across Unicode normal forms. */
const clashKey = (path: string): string => path.normalize('NFC').toLowerCase();

/**
 * Returns a check that remembers every path it is given, and every folder those paths imply, and refuses
 * a path that would share a file or folder with an earlier one on a case-insensitive file system: two
 * spellings of one name, a file where a folder is needed, or the same name twice.
 */
export function createPathClashCheck(): (name: string, isDirectory: boolean) => void {
  const seen = new Map<string, { spelling: string; isDirectory: boolean }>();
  return (name, isDirectory) => {
    const segments = entryPath(name).split('/');
    let prefix = '';
    segments.forEach((segment, index) => {
      prefix = index === 0 ? segment : `${prefix}/${segment}`;
      const asDirectory = isDirectory || index < segments.length - 1;
      const earlier = seen.get(clashKey(prefix));
      if (earlier === undefined) {
        seen.set(clashKey(prefix), { spelling: prefix, isDirectory: asDirectory });
      } else if (earlier.spelling !== prefix || !earlier.isDirectory || !asDirectory) {
        throw new ZipSafetyError('zip-case-collision', name, { clashesWith: earlier.spelling });
      }
    });
  };
}

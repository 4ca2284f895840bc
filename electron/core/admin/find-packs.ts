import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import type { PackSourceView } from '../../common/kiosk-api';
import { KioskError } from '../../common/envelope';

export const MAX_PACK_SOURCES = 200;
/** Folders looked into at most: a stick full of photos must not keep the admin screen waiting. */
const MAX_FOLDERS_READ = 2_000;

function entriesOf(dir: string): Dirent[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    // Unreadable (permissions, "System Volume Information", a stick pulled out): skipped, not an error.
    return null;
  }
}

const isPackFolder = (entries: readonly Dirent[]) => entries.some((e) => e.name === 'pack.json' && (e.isFile() || e.isSymbolicLink()));

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/**
 * Pack folders (with a pack.json) and .kpack files in `dir` and up to two levels below it, so staff pick
 * one by touch instead of typing a path. Hidden and unreadable entries are skipped, a pack folder is not
 * searched further (packs do not nest), and the list is sorted and bounded.
 */
export function findPacks(dir: string, maxResults = MAX_PACK_SOURCES): PackSourceView[] {
  if (!isDirectory(dir)) throw new KioskError('not-found', `There is no folder at ${dir}`);
  const found: PackSourceView[] = [];
  const queue: { path: string; depth: number }[] = [{ path: dir, depth: 0 }];
  let foldersRead = 0;
  while (queue.length > 0 && foldersRead < MAX_FOLDERS_READ && found.length < maxResults) {
    const { path, depth } = queue.shift()!;
    const entries = entriesOf(path);
    foldersRead += 1;
    if (!entries) continue;
    if (isPackFolder(entries)) {
      found.push({ path, kind: 'folder', name: basename(path) || path, bytes: null });
      continue;
    }
    for (const entry of entries) {
      if (found.length >= maxResults) break;
      if (entry.name.startsWith('.')) continue;
      const child = join(path, entry.name);
      // Symbolic links are followed to what they point at; the depth limit keeps a loop finite.
      const linked = entry.isSymbolicLink();
      if ((entry.isFile() || linked) && entry.name.toLowerCase().endsWith('.kpack') && depth < 2) {
        if (!linked || !isDirectory(child)) found.push({ path: child, kind: 'kpack', name: entry.name, bytes: sizeOf(child) });
      } else if ((entry.isDirectory() || (linked && isDirectory(child))) && depth < 2) {
        queue.push({ path: child, depth: depth + 1 });
      }
    }
  }
  // Breadth first, so when the limit cuts the search short the shallow, likelier candidates are kept.
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DriveView } from '../../common/kiosk-api';
import { freeBytes } from '../disk-space';

/** Where each system shows removable media; injectable so tests can stand in temporary folders. */
export interface DriveRoots {
  platform: NodeJS.Platform;
  /** Linux: the mount table. */
  mountsFile: string;
  /** Linux: folders under which desktop automounters and staff put USB sticks. */
  removableParents: string[];
  /** macOS: one folder per mounted volume. */
  volumesDir: string;
  /** Windows: the drive the system runs from, never offered. */
  systemDrive: string;
  /** Windows: letters to probe; A: and B: are left out (a floppy probe can hang). */
  driveLetters: string[];
}

export const SYSTEM_DRIVE_ROOTS: DriveRoots = {
  platform: process.platform,
  mountsFile: '/proc/mounts',
  removableParents: ['/media', '/run/media', '/mnt'],
  volumesDir: '/Volumes',
  systemDrive: process.env.SystemDrive ?? 'C:',
  driveLetters: 'CDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
};

/** File systems USB sticks and card readers come with; found anywhere, they count as removable. */
const REMOVABLE_FS = new Set(['vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk']);
/** Places a removable file system may be mounted that are the machine's own (the EFI partition is vfat). */
const SYSTEM_MOUNTS = ['/boot', '/efi'];

/** /proc/mounts writes space, tab, newline and backslash in paths as octal escapes. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

const isUnder = (path: string, parent: string) => path.startsWith(`${parent}/`);

/** Mount points of removable media in a Linux mount table. */
export function removableMounts(mountTable: string, removableParents: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of mountTable.split('\n')) {
    const [source, target, fsType] = line.split(' ');
    if (!source || !target || !fsType) continue;
    const path = unescapeMount(target);
    if (path === '/' || SYSTEM_MOUNTS.some((m) => path === m || isUnder(path, m))) continue;
    const removableFs = REMOVABLE_FS.has(fsType);
    // Under the usual parents a real device counts whatever its file system (an ext4 stick, a disk);
    // memory file systems and the like mounted there (WSL puts tmpfs under /mnt) do not.
    const deviceUnderParent = source.startsWith('/dev/') && removableParents.some((parent) => isUnder(path, parent));
    if ((removableFs || deviceUnderParent) && !found.includes(path)) found.push(path);
  }
  return found;
}

function candidatePaths(roots: DriveRoots): string[] {
  switch (roots.platform) {
    case 'linux': {
      let table: string;
      try {
        table = readFileSync(roots.mountsFile, 'utf8');
      } catch {
        return [];
      }
      return removableMounts(table, roots.removableParents);
    }
    case 'darwin': {
      let names: string[];
      try {
        names = readdirSync(roots.volumesDir);
      } catch {
        return [];
      }
      // The start-up disk appears in /Volumes as a symbolic link to /.
      return names
        .filter((name) => !name.startsWith('.'))
        .map((name) => join(roots.volumesDir, name))
        .filter((path) => {
          try {
            return lstatSync(path).isDirectory();
          } catch {
            return false;
          }
        });
    }
    case 'win32': {
      const system = roots.systemDrive.slice(0, 1).toUpperCase();
      return roots.driveLetters.filter((letter) => letter.toUpperCase() !== system && existsSync(`${letter}:\\`)).map((letter) => `${letter}:\\`);
    }
    default:
      return [];
  }
}

/** Mounted removable drives (USB sticks) to offer as pack sources and export destinations, by path. */
export function listDrives(roots: DriveRoots = SYSTEM_DRIVE_ROOTS): DriveView[] {
  return candidatePaths(roots)
    .sort()
    .map((path) => ({ path, label: basename(path) || path, freeBytes: freeBytes(path) }));
}

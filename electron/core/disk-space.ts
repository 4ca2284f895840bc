import { statfsSync } from 'node:fs';

/** Bytes an ordinary user may still write on the disk holding `path`; null when the system cannot say. */
export function freeBytes(path: string): number | null {
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

import type { WriteChunk } from './buffered-file';
import type { ExportLang } from './selection';

/** What every format's writer gets besides the database and the selection. */
export interface ExportContext {
  outDir: string;
  lang: ExportLang;
  /** Wall time of the export: names files and is recorded with them. */
  now: number;
  appVersion: string;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Replaces the low-level write, so tests can play a disk that fills up (ENOSPC). */
  write?: WriteChunk | undefined;
}

/** Counts rows and reports every 1024th, so a million-row export calls back a thousand times, not a million. */
export function rowProgress(total: number, onProgress: ExportContext['onProgress']): { tick(): void; end(): void } {
  let done = 0;
  if (!onProgress) return { tick: () => {}, end: () => {} };
  return {
    tick() {
      done += 1;
      if ((done & 1023) === 0) onProgress(done, total);
    },
    end() {
      onProgress(total, total);
    },
  };
}

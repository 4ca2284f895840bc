import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes bytes at the file's current position; injectable so a test can play a disk that fills up. */
export type WriteChunk = (fd: number, bytes: Buffer) => void;

export const writeWholeChunk: WriteChunk = (fd, bytes) => {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
};

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BufferedFile {
  append(text: string): void;
  /** Bytes already encoded as UTF-8 (e.g. a chunk SQLite formatted), written as they are. */
  appendBytes(bytes: Buffer): void;
  /** Flushes, fsyncs (when durable) and moves the file into place; only then does it exist under its name. */
  finish(): WrittenFile;
  /** Drops the unfinished temp file, leaving nothing half-written behind. Safe to call twice. */
  abort(): void;
}

export interface BufferedFileOptions {
  /** fsync the file and its folder: true for files handed over, false for staging parts zipped later. */
  durable: boolean;
  write?: WriteChunk;
}

/**
 * Text is encoded straight into one reused 1 MiB buffer and written when it fills: one hash update and one
 * system call per chunk instead of per row, which keeps a million-row export fast. Encoding each piece at
 * once (rather than concatenating strings until a flush) lets every row's strings die young: a string
 * kept across garbage collections would be promoted to the old generation, which V8 lets grow to
 * hundreds of megabytes before collecting it (measured: 961 MB peak RSS for 1M xAPI lines, 250 MB now).
 */
const CHUNK_BYTES = 1024 * 1024;

export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

export function createBufferedFile(path: string, options: BufferedFileOptions): BufferedFile {
  const write = options.write ?? writeWholeChunk;
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let bytes = 0;
  let open = true;

  const writeOut = (data: Buffer) => {
    hash.update(data);
    write(fd, data);
    bytes += data.length;
  };
  const flush = () => {
    if (used === 0) return;
    writeOut(chunk.subarray(0, used));
    used = 0;
  };
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  const file: BufferedFile = {
    append(text) {
      // A UTF-16 code unit never takes more than 3 bytes in UTF-8, so this bound makes the write fit.
      if (text.length * 3 > CHUNK_BYTES - used) {
        flush();
        if (text.length * 3 > CHUNK_BYTES) {
          writeOut(Buffer.from(text, 'utf8'));
          return;
        }
      }
      used += chunk.write(text, used, 'utf8');
    },
    appendBytes(data) {
      flush();
      writeOut(data);
    },
    finish() {
      try {
        flush();
        if (options.durable) fsyncSync(fd);
        close();
        renameSync(temp, path);
      } catch (error) {
        file.abort();
        throw error;
      }
      if (options.durable) fsyncDirectory(dirname(path));
      return { path, bytes, sha256: hash.digest('hex') };
    },
    abort() {
      used = 0;
      try {
        close();
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
  return file;
}

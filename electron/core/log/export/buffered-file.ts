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
 * Text is gathered into one string and written in ~1 MiB chunks: one UTF-8 encode, one hash update and
 * one system call per chunk instead of per row, which is what keeps a million-row export fast, while
 * memory stays bounded whatever the row count.
 */
const FLUSH_CHARS = 512 * 1024;

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
  let pending = '';
  let bytes = 0;
  let open = true;

  const flush = () => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending, 'utf8');
    pending = '';
    hash.update(chunk);
    write(fd, chunk);
    bytes += chunk.length;
  };
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  const file: BufferedFile = {
    append(text) {
      pending += text;
      if (pending.length >= FLUSH_CHARS) flush();
    },
    appendBytes(chunk) {
      flush();
      hash.update(chunk);
      write(fd, chunk);
      bytes += chunk.length;
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
      pending = '';
      try {
        close();
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
  return file;
}

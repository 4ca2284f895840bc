import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

const CHUNK_BYTES = 64 * 1024;

export interface WrittenNdjson {
  path: string;
  lines: number;
  bytes: number;
  sha256: string;
}

export interface NdjsonWriter {
  line(value: unknown): void;
  /** Flushes and fsyncs; the caller zips the file next, so it must be on disk whole. */
  finish(): WrittenNdjson;
  /** Closes without syncing, for a write that failed half way (the caller removes the folder). */
  abort(): void;
}

/** One JSON value per line, written in ~64 KiB chunks and hashed on the way out: memory stays bounded. */
export function createNdjsonFile(path: string): NdjsonWriter {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let pending: string[] = [];
  let pendingBytes = 0;
  let lines = 0;
  let bytes = 0;
  let open = true;
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingBytes = 0;
    hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(fd, chunk, offset);
    bytes += chunk.length;
  };
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  return {
    line(value) {
      const text = `${JSON.stringify(value)}\n`;
      pending.push(text);
      // Length in UTF-16 units is at most the UTF-8 length's bound we care about here: a flush trigger.
      pendingBytes += text.length;
      lines += 1;
      if (pendingBytes >= CHUNK_BYTES) flush();
    },
    finish() {
      try {
        flush();
        fsyncSync(fd);
      } finally {
        close();
      }
      return { path, lines, bytes, sha256: hash.digest('hex') };
    },
    abort: close,
  };
}

/** The file's lines one at a time (numbered from 1), without holding the file in memory. */
export async function* readLines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      yield { text, line };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

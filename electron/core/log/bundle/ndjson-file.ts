import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createBufferedFile } from '../export/buffered-file';

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
  /** Drops the unfinished file, for a write that failed half way. */
  abort(): void;
}

/** One JSON value per line, through the exports' buffered writer: hashed on the way out, bounded memory. */
export function createNdjsonFile(path: string): NdjsonWriter {
  const file = createBufferedFile(path, { durable: true });
  let lines = 0;
  return {
    line(value) {
      file.append(`${JSON.stringify(value)}\n`);
      lines += 1;
    },
    finish: () => ({ ...file.finish(), lines }),
    abort: () => file.abort(),
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

import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type CsvValue = string | number | null;

// Excel needs the byte order mark to read UTF-8 (and so Chinese) instead of the system code page.
const BOM = '\uFEFF';
const ROW_END = '\r\n';
const CHUNK_BYTES = 64 * 1024;

/** Spreadsheets run a text cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 cell. Numbers stay bare so spreadsheets sum them; only text is guarded against formula
 * injection, which is why a real -3 stays a number while the text "-3" gains a leading apostrophe.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',') + ROW_END;
}

export interface WrittenCsv {
  path: string;
  /** Data rows, not counting the header. */
  rows: number;
  sha256: string;
}

export interface CsvFileWriter {
  row(cells: readonly CsvValue[]): void;
  /** Flushes, fsyncs and moves the file into place; only then does it exist under its name. */
  finish(): WrittenCsv;
  /** Drops the unfinished temp file, leaving nothing half-written behind. */
  abort(): void;
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}

function fsyncDirectory(dir: string): void {
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

/**
 * Streams a CSV file (BOM, header, CRLF rows) through a temp file in ~64 KiB chunks, so memory stays
 * bounded whatever the row count, and hashes the bytes on the way out.
 */
export function createCsvFile(path: string, header: readonly string[]): CsvFileWriter {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  const hash = createHash('sha256');
  let pending: string[] = [];
  let pendingBytes = 0;
  let rows = 0;
  let open = true;

  const flush = () => {
    if (pending.length === 0) return;
    const bytes = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingBytes = 0;
    hash.update(bytes);
    writeAll(fd, bytes);
  };
  const append = (text: string) => {
    pending.push(text);
    pendingBytes += Buffer.byteLength(text, 'utf8');
    if (pendingBytes >= CHUNK_BYTES) flush();
  };
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };

  append(BOM + csvRow(header));
  return {
    row(cells) {
      append(csvRow(cells));
      rows += 1;
    },
    finish() {
      try {
        flush();
        fsyncSync(fd);
      } catch (error) {
        this.abort();
        throw error;
      }
      close();
      renameSync(temp, path);
      fsyncDirectory(dirname(path));
      return { path, rows, sha256: hash.digest('hex') };
    },
    abort() {
      close();
      rmSync(temp, { force: true });
    },
  };
}

import type { WrittenFile } from './buffered-file';

export type CsvValue = string | number | null;

// Excel needs the byte order mark to read UTF-8 (and so Chinese) instead of the system code page.
export const CSV_BOM = '\uFEFF';
const ROW_END = '\r\n';

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

/** One CRLF-terminated row: the headers, and the reference the SQL-formatted rows (export-csv.ts) are tested against. */
export function csvRow(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',') + ROW_END;
}

export interface WrittenCsv extends WrittenFile {
  /** Data rows, not counting the header. */
  rows: number;
}

import { createBufferedFile, type WriteChunk } from './buffered-file';

/** Excel's hard limit of rows per worksheet, header included. */
export const XLSX_MAX_ROWS = 1_048_576;
/** Excel refuses a workbook with a longer text cell, so longer text is cut (never happens with our data). */
const MAX_CELL_CHARS = 32_767;

export type XlsxStyle = 'bold' | 'percent';
/** A cell: text is always an inline string (never a formula, so no injection guard is needed), numbers are numeric cells. */
export type XlsxCell = string | number | null | { value: string | number; style: XlsxStyle };

/** Indexes into cellXfs of styles.xml (xlsx-parts.ts). */
export const STYLE_INDEX: Record<XlsxStyle, number> = { bold: 1, percent: 2 };

// Text XML 1.0 cannot carry at all (most C0 controls, U+FFFE/U+FFFF) becomes U+FFFD; a bare CR is kept as
// a character reference, since parsers would otherwise turn CRLF into LF.
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

export function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => ESCAPES[c] ?? '\uFFFD') : text;
}

const EDGE_SPACE = /^\s|\s$/;

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export interface SheetColumn {
  /** Width in characters. */
  width: number;
}

export interface SheetOptions {
  columns: readonly SheetColumn[];
  /** Freeze the first row and put an autofilter on the table: for the data sheets. */
  table: boolean;
  /** The sheet Excel opens on. */
  selected: boolean;
  write?: WriteChunk | undefined;
}

export interface WrittenSheet {
  path: string;
  /** Rows written, the header included. */
  rows: number;
  /** The autofilter range, e.g. "A1:K9", or null for a sheet without one. */
  filterRef: string | null;
}

export interface SheetWriter {
  readonly rows: number;
  row(cells: readonly XlsxCell[], style?: XlsxStyle): void;
  /** Closes the sheet; calling it again returns the same result. */
  finish(): WrittenSheet;
  abort(): void;
}

/**
 * Streams one worksheet part (xl/worksheets/sheetN.xml) to a staging file. Cells are inline strings, so
 * nothing is remembered across rows (a shared-strings table would grow with the data) and memory stays
 * bounded however many rows there are.
 */
export function createSheetWriter(path: string, options: SheetOptions): SheetWriter {
  const file = createBufferedFile(path, { durable: false, ...(options.write ? { write: options.write } : {}) });
  const letters = options.columns.map((_, i) => columnName(i));
  let rows = 0;
  let written: WrittenSheet | null = null;

  const pane = options.table ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' : '';
  const cols = options.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  file.append(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<sheetViews><sheetView workbookViewId="0"${options.selected ? ' tabSelected="1"' : ''}>${pane}</sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`,
  );

  const cell = (ref: string, value: XlsxCell, rowStyle: number): string => {
    if (value === null) return '';
    let style = rowStyle;
    if (typeof value === 'object') {
      style = STYLE_INDEX[value.style];
      value = value.value;
    }
    const s = style === 0 ? '' : ` s="${style}"`;
    if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : '';
    const text = value.length > MAX_CELL_CHARS ? value.slice(0, MAX_CELL_CHARS) : value;
    const space = EDGE_SPACE.test(text) ? ' xml:space="preserve"' : '';
    return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
  };

  return {
    get rows() {
      return rows;
    },
    row(cells, style) {
      if (rows >= XLSX_MAX_ROWS) throw new Error(`A worksheet holds at most ${XLSX_MAX_ROWS} rows`);
      rows += 1;
      const r = String(rows);
      const rowStyle = style ? STYLE_INDEX[style] : 0;
      let xml = `<row r="${r}">`;
      for (let i = 0; i < cells.length && i < letters.length; i += 1) xml += cell(letters[i]! + r, cells[i]!, rowStyle);
      file.append(xml + '</row>');
    },
    finish() {
      if (written) return written;
      const lastColumn = letters.at(-1) ?? 'A';
      const filterRef = options.table ? `A1:${lastColumn}${Math.max(rows, 1)}` : null;
      file.append(`</sheetData>${filterRef ? `<autoFilter ref="${filterRef}"/>` : ''}</worksheet>`);
      written = { path: file.finish().path, rows, filterRef };
      return written;
    },
    abort() {
      file.abort();
    },
  };
}

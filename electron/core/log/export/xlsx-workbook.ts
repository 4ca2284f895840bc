import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_ZIP_LEVEL, writeKpack } from '../../packs/zip/write-kpack';
import type { WriteChunk } from './buffered-file';
import { createSheetWriter, xmlText, type SheetOptions, type SheetWriter, type WrittenSheet } from './xlsx-sheet';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// cellXfs: 0 normal, 1 bold (headers, titles), 2 percent (rates). Indexes match STYLE_INDEX in xlsx-sheet.ts.
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

export interface WorkbookMeta {
  title: string;
  /** e.g. "Exhibit Kiosk 0.1.0" */
  application: string;
  /** ISO 8601 UTC */
  created: string;
}

export interface Workbook {
  /** Starts the next sheet; sheets appear in the order they were added. */
  sheet(name: string, options: Omit<SheetOptions, 'write'>): SheetWriter;
  /** Finishes open sheets, writes the package parts and zips them to outPath (fsynced before its rename). */
  finish(outPath: string, meta: WorkbookMeta, onProgress?: (done: number, total: number) => void): Promise<void>;
  /** Removes the staging folder. */
  dispose(): void;
}

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel refuses the workbook otherwise). */
export function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

const quoteSheet = (name: string) => `'${name.replaceAll("'", "''")}'`;
const absoluteRef = (ref: string) => ref.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');

/**
 * An .xlsx written part by part into a staging folder and zipped with the deterministic pack writer, so
 * no sheet is ever held in memory.
 */
export function createWorkbook(stagingDir: string, write?: WriteChunk): Workbook {
  mkdirSync(join(stagingDir, 'xl', 'worksheets'), { recursive: true });
  mkdirSync(join(stagingDir, '_rels'), { recursive: true });
  mkdirSync(join(stagingDir, 'xl', '_rels'), { recursive: true });
  mkdirSync(join(stagingDir, 'docProps'), { recursive: true });
  const sheets: { name: string; writer: SheetWriter; written: WrittenSheet | null }[] = [];

  const part = (name: string, xml: string) => writeFileSync(join(stagingDir, name), xml);

  return {
    sheet(name, options) {
      const index = sheets.length + 1;
      const writer = createSheetWriter(join(stagingDir, 'xl', 'worksheets', `sheet${index}.xml`), { ...options, write });
      sheets.push({ name: sheetName(name), writer, written: null });
      return writer;
    },
    async finish(outPath, meta, onProgress) {
      for (const sheet of sheets) sheet.written ??= sheet.writer.finish();
      const sheetList = sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
      // Excel keeps each sheet's autofilter range as this hidden name; without it some versions drop the filter.
      const filters = sheets
        .map((s, i) =>
          s.written?.filterRef
            ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(`${quoteSheet(s.name)}!${absoluteRef(s.written.filterRef)}`)}</definedName>`
            : '',
        )
        .join('');
      part(
        'xl/workbook.xml',
        `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheetList}</sheets>${filters ? `<definedNames>${filters}</definedNames>` : ''}</workbook>`,
      );
      const sheetRels = sheets
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join('');
      part(
        'xl/_rels/workbook.xml.rels',
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetRels}<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
      );
      part('xl/styles.xml', STYLES);
      part(
        '_rels/.rels',
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
          `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
      );
      part(
        'docProps/core.xml',
        `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
          `<dc:title>${xmlText(meta.title)}</dc:title><dc:creator>${xmlText(meta.application)}</dc:creator>` +
          `<dcterms:created xsi:type="dcterms:W3CDTF">${meta.created.replace(/\.\d{3}Z$/, 'Z')}</dcterms:created></cp:coreProperties>`,
      );
      part(
        'docProps/app.xml',
        `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${xmlText(meta.application)}</Application></Properties>`,
      );
      part(
        '[Content_Types].xml',
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
          '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
          '</Types>',
      );
      const files = [
        '[Content_Types].xml',
        '_rels/.rels',
        'docProps/app.xml',
        'docProps/core.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/workbook.xml',
        ...sheets.map((_, i) => `xl/worksheets/sheet${i + 1}.xml`),
      ];
      await writeKpack(stagingDir, files, outPath, onProgress, { level: LOG_ZIP_LEVEL });
    },
    dispose() {
      for (const sheet of sheets) if (!sheet.written) sheet.writer.abort();
      rmSync(stagingDir, { recursive: true, force: true });
    },
  };
}

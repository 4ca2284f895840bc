import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Locale } from '../../../common/locales';
import { compareVersions } from '../../packs/semver';
import { writeFileAtomic } from '../../write-file-atomic';
import { computeMetrics, type ReportMetrics, type ScenarioGraph } from './metrics';
import { findReportPack, PackNames, type PackOrigin } from './pack-names';
import { printPdf } from './print-pdf';
import { renderReportHtml } from './render-report';
import { openReportSource } from './report-source';

export interface BuildReportOptions {
  dbFile: string;
  outFile: string;
  lang: Locale;
  packDir?: string;
  bundledPackDir?: string;
  /** Also print a PDF next to the HTML with this browser (null: none found). */
  pdf?: { browser: string | null; timeoutMs?: number };
  now?: Date;
  nativeBinding?: string;
  onStep?: (step: string) => void;
}

export interface BuiltReport {
  html: string;
  pdf: string | null;
  kind: 'kiosk' | 'fleet';
  packId: string | null;
  packOrigin: PackOrigin;
  metrics: ReportMetrics;
}

/** Refuses an output folder that cannot be written before any work is done. */
export class ReportOutputError extends Error {
  constructor(readonly file: string, detail: string) {
    super(detail);
  }
}

function checkWritable(file: string): void {
  const dir = dirname(file);
  try {
    if (!existsSync(dir)) throw new Error('the folder does not exist');
    accessSync(dir, constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
  } catch (error) {
    throw new ReportOutputError(file, (error as Error).message);
  }
}

/** Local time with its offset, so a printed report says when it was made without guessing the zone. */
export function formatLocalTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '−' : '+';
  const abs = Math.abs(offset);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} (UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''})`;
}

/** The report end to end: read-only views, metrics, names from the pack, HTML, and the PDF if asked. */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  checkWritable(options.outFile);
  const step = options.onStep ?? (() => {});
  step('open');
  const source = openReportSource(options.dbFile, options.nativeBinding);
  let metrics: ReportMetrics;
  let names: PackNames;
  let packId: string | null;
  let packOrigin: PackOrigin;
  try {
    // The report is about the pack most visits used, in its newest version seen: it names the most ids.
    const packs = source.db.prepare('SELECT pack_id AS id, pack_version AS version, COUNT(*) AS n FROM r_visit GROUP BY 1, 2').all() as {
      id: string;
      version: string;
      n: number;
    }[];
    const byPack = new Map<string, number>();
    for (const p of packs) byPack.set(p.id, (byPack.get(p.id) ?? 0) + p.n);
    packId = [...byPack.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const versions = packs.filter((p) => p.id === packId).map((p) => p.version).sort(compareVersions);
    const pack = findReportPack({ dbFile: options.dbFile, packId, packVersion: versions.at(-1) ?? null, packDir: options.packDir, bundledPackDir: options.bundledPackDir });
    packId ??= pack.manifest?.id ?? null;
    packOrigin = pack.origin;
    names = new PackNames(pack.manifest, options.lang);
    const graphs = new Map<string, ScenarioGraph>();
    for (const a of pack.manifest?.activities ?? []) {
      if (a.type === 'scenario') graphs.set(a.id, { start: a.start, nodes: a.nodes.map((n) => ({ id: n.id, next: n.choices.map((c) => c.next) })) });
    }
    metrics = computeMetrics(source.db, { kind: source.kind, packId, scenarioGraphs: graphs, onStep: step });
  } finally {
    source.close();
  }
  step('html');
  const html = renderReportHtml(metrics, names, { lang: options.lang, generatedAt: formatLocalTime(options.now ?? new Date()), packId, packOrigin });
  writeFileAtomic(options.outFile, html);
  let pdf: string | null = null;
  if (options.pdf) {
    step('pdf');
    pdf = options.outFile.replace(/\.html?$/i, '') + '.pdf';
    await printPdf({ browser: options.pdf.browser, htmlFile: options.outFile, pdfFile: pdf, timeoutMs: options.pdf.timeoutMs });
  }
  return { html: options.outFile, pdf, kind: source.kind, packId, packOrigin, metrics };
}

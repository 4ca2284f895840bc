import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Why the PDF could not be made, so the CLI can say it in the user's language. */
export class PdfError extends Error {
  constructor(
    readonly code: 'no-browser' | 'timeout' | 'failed',
    detail: string,
  ) {
    super(detail);
  }
}

export interface PrintPdfOptions {
  browser: string | null;
  htmlFile: string;
  pdfFile: string;
  timeoutMs?: number;
}

/**
 * Prints the report with the system's Chromium in headless mode: the same engine the kiosk runs on, so
 * the SVG charts and CJK fonts come out as they look on screen. A throwaway profile keeps it from
 * touching (or waiting on) anyone's browser profile; --no-sandbox only when running as root, where
 * Chromium refuses to start otherwise.
 */
export async function printPdf(options: PrintPdfOptions): Promise<void> {
  if (!options.browser) throw new PdfError('no-browser', 'No Chromium found (set CHROME_PATH or install chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-report-pdf-'));
  const args = [
    '--headless',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${options.pdfFile}`,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    pathToFileURL(options.htmlFile).href,
  ];
  try {
    if (existsSync(options.pdfFile)) rmSync(options.pdfFile);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(options.browser!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new PdfError('timeout', `Chromium did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`));
      }, options.timeoutMs ?? 60_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new PdfError('failed', error.message));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(options.pdfFile) && statSync(options.pdfFile).size > 0) resolve();
        else reject(new PdfError('failed', `Chromium exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

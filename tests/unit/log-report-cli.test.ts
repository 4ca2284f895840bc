import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../electron/cli/browser-kiosk';
import { REPO } from '../helpers/paths';
import { writeSyntheticLog } from '../helpers/synthetic-log';
import { tempDir } from '../helpers/temp-dir';

/** Runs the real `kiosk` command (the built bundle), output piped. */
function kiosk(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', ...env }, timeout: 90_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function syntheticLog(): { dir: string; db: string } {
  const dir = tempDir();
  const db = join(dir, 'visit-log.sqlite');
  const handle = new Database(db);
  writeSyntheticLog(handle, { visits: 200, seed: 4, days: 5 });
  handle.close();
  return { dir, db };
}

describe('kiosk logs report (CLI)', () => {
  it('writes the report and prints what it wrote, or the figures with --json', () => {
    const { dir, db } = syntheticLog();
    const out = join(dir, 'report.html');
    const text = kiosk(['logs', 'report', db, '--out', out, '--lang', 'zh-CN']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`已写入 ${out}`);
    expect(text.stdout).toContain('200 次访问，2026-03-02 至');
    expect(text.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('<html lang="zh-CN">');
    const json = kiosk(['logs', 'report', db, '--out', out, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ html: out, pdf: null, kind: 'kiosk', packOrigin: 'bundled', metrics: { totals: { visits: 200 } } });
  });

  it('explains a missing log, a file that is not a log and an unwritable output, in both languages', () => {
    const dir = tempDir();
    const missing = kiosk(['logs', 'report', join(dir, 'none.sqlite'), '--out', join(dir, 'r.html'), '--lang', 'zh-CN']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('找不到访问日志');
    const notLog = join(dir, 'notes.sqlite');
    writeFileSync(notLog, 'hello, not a database at all');
    const wrongKind = kiosk(['logs', 'report', notLog, '--out', join(dir, 'r.html'), '--lang', 'en']);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain("is neither a kiosk's visit log nor a merged fleet database");
    const { db } = syntheticLog();
    const unwritable = kiosk(['logs', 'report', db, '--out', join(dir, 'no-such-folder', 'r.html'), '--lang', 'zh-CN']);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain('无法写入报告');
    const noOut = kiosk(['logs', 'report', db]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('logs report needs --out FILE.html');
  });

  it('says clearly when no Chromium is there for --pdf, and keeps the HTML', () => {
    const { dir, db } = syntheticLog();
    const out = join(dir, 'report.html');
    const result = kiosk(['logs', 'report', db, '--out', out, '--pdf', '--lang', 'en'], { CHROME_PATH: join(dir, 'no-chromium') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No Chromium found, so no PDF');
    expect(existsSync(out)).toBe(true);
  });

  // Printing needs a Chromium on the machine (CI installs one); without it there is nothing to run.
  it.skipIf(findBrowser() === null)('prints an A4 PDF with the system Chromium', () => {
    const { dir, db } = syntheticLog();
    const out = join(dir, 'report.html');
    const result = kiosk(['logs', 'report', db, '--out', out, '--pdf', '--lang', 'zh-CN']);
    expect(result.code, result.stderr).toBe(0);
    const pdf = readFileSync(join(dir, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 is 595 × 842 points (Chromium writes 594.96 × 841.92).
    const box = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Number(box?.[1])).toBeCloseTo(595, 0);
    expect(Number(box?.[2])).toBeCloseTo(842, 0);
  });
});

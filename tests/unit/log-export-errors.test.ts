import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeExportFailure } from '../../electron/cli/commands/logs-export';
import { writeWholeChunk, type WriteChunk } from '../../electron/core/log/export/buffered-file';
import { exportLogs } from '../../electron/core/log/export/export-logs';
import type { ExportFormat } from '../../electron/core/log/export/selection';
import { REPO } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { EXPORT_NOW, kioskWithLog } from './log-export-fixture';

/** A disk with `room` bytes free: writes beyond it fail the way a full disk does. */
function diskWithRoom(room: number): WriteChunk {
  let used = 0;
  return (fd, bytes) => {
    if (used + bytes.length > room) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    used += bytes.length;
    writeWholeChunk(fd, bytes);
  };
}

const exportCount = (db: { prepare(sql: string): { get(): unknown } }) => (db.prepare('SELECT COUNT(*) AS n FROM export').get() as { n: number }).n;

describe('a full disk during an export', () => {
  it.each<ExportFormat>(['csv', 'xlsx', 'xapi'])('%s: fails with ENOSPC, leaves no file behind and does not move the watermark', async (format) => {
    const { kiosk } = await kioskWithLog();
    const out = tempDir();
    // The first file fits in the CSV case, so the failure hits a later one and the first must go too.
    const room = format === 'csv' ? 600 : 0;
    const failed = exportLogs(kiosk.db, { format, range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1', write: diskWithRoom(room) });
    await expect(failed).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(exportCount(kiosk.db)).toBe(0);
    // Not even the CSV visits file that was complete: an export is all its files or none.
    expect(readdirSync(out)).toEqual([]);

    const retry = await exportLogs(kiosk.db, { format, range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1' });
    expect(retry).toMatchObject({ fromSeq: 1, toSeq: 8 });
    kiosk.close();
  });

  it('is explained to staff in their language', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    expect(describeExportFailure(enospc, '/media/usb', 'en').message).toMatch(/^The disk holding \/media\/usb is full.*did not move/);
    expect(describeExportFailure(enospc, '/media/usb', 'zh-CN').message).toMatch(/磁盘已满/);
    expect(describeExportFailure(Object.assign(new Error('x'), { code: 'EROFS' }), '/media/usb', 'en').message).toMatch(/^Cannot write to the folder \/media\/usb \(EROFS\)/);
    const other = new Error('something else');
    expect(describeExportFailure(other, '/x', 'en')).toBe(other);
  });
});

function kiosk(...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kiosk logs export (CLI) for every format', () => {
  it('writes xlsx and xapi, each with its own since-last watermark, and says when there was nothing new', async () => {
    const { kiosk: core } = await kioskWithLog();
    core.close();
    const out = tempDir();
    const xlsx = kiosk('logs', 'export', '--format', 'xlsx', '--since-last', '--out', out, '--data', core.dataDir, '--lang', 'en');
    expect(xlsx).toMatchObject({ code: 0, stderr: '' });
    expect(xlsx.stdout).toMatch(/^Wrote .*visit-log_seq1-8_.*\.xlsx \(8 rows\)\n$/);
    const xapi = kiosk('logs', 'export', '--format', 'xapi', '--since-last', '--out', out, '--data', core.dataDir, '--json');
    expect(xapi.code).toBe(0);
    expect(JSON.parse(xapi.stdout)).toMatchObject({ fromSeq: 1, toSeq: 8, files: [{ rows: 8 }] });
    const again = kiosk('logs', 'export', '--format', 'xapi', '--since-last', '--out', out, '--data', core.dataDir, '--lang', 'zh-CN');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('（0 行）');
    expect(again.stdout).toContain('没有可导出的新记录');
    expect(readdirSync(out).sort()).toEqual([expect.stringMatching(/^visit-log_seq1-8_.*\.xlsx$/), expect.stringMatching(/^xapi_seq-none_.*\.jsonl$/), expect.stringMatching(/^xapi_seq1-8_.*\.jsonl$/)].sort());
  });

  it('refuses bad calls in the chosen language and explains an unwritable folder', async () => {
    const { kiosk: core } = await kioskWithLog();
    core.close();
    const out = tempDir();
    const unknown = kiosk('logs', 'export', '--format', 'pdf', '--out', out, '--data', core.dataDir, '--lang', 'zh-CN');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('不支持 --format pdf');
    expect(kiosk('logs', 'export', '--format', 'csv', '--from', '2026-12-01', '--to', '2026-11-30', '--out', out, '--lang', 'en').stderr).toContain('--from 2026-12-01 is after --to 2026-11-30');
    expect(kiosk('logs', 'export', '--format', 'csv', '--from', '2026-12-01', '--out', out, '--lang', 'zh-CN').stderr).toContain('需要同时给出');
    expect(kiosk('logs', 'nonsense').code).toBe(2);

    const aFile = join(tempDir(), 'not-a-folder');
    writeFileSync(aFile, 'x');
    const blocked = kiosk('logs', 'export', '--format', 'csv', '--out', join(aFile, 'sub'), '--data', core.dataDir, '--lang', 'en');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`Cannot write to the folder ${join(aFile, 'sub')}`);
    if (process.getuid?.() !== 0) {
      // Root ignores folder permissions, so this half only runs as an ordinary user.
      const readOnly = tempDir();
      chmodSync(readOnly, 0o555);
      expect(kiosk('logs', 'export', '--format', 'csv', '--out', readOnly, '--data', core.dataDir, '--lang', 'en').stderr).toContain('Cannot write to the folder');
      chmodSync(readOnly, 0o755);
    }
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPackArchive } from './extract-pack-archive';
import { PackInstallError } from './pack-install-error';
import { validatePack, type ValidationReport } from './validate/validate-pack';

/**
 * Validates a pack folder, or a .kpack by unpacking it (with the same safety rules as install) into a
 * temporary folder that is removed afterwards. Nothing is installed.
 */
export async function checkPackAt(
  path: string,
  options: { appVersion: string; onProgress?: (phase: 'copy' | 'verify', done: number, total: number) => void },
): Promise<ValidationReport> {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return PackInstallError.single('install-missing', path, { file: path }).report;
  }
  const verify = (dir: string) =>
    validatePack(dir, { appVersion: options.appVersion, onProgress: (d, n) => options.onProgress?.('verify', d, n) });
  if (isDirectory) return verify(path);
  const temp = mkdtempSync(join(tmpdir(), 'kiosk-check-'));
  try {
    await extractPackArchive(path, temp, (d, n) => options.onProgress?.('copy', d, n));
    return await verify(temp);
  } catch (error) {
    if (error instanceof PackInstallError) return error.report;
    throw error;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

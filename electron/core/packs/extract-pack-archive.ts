import { PackInstallError } from './pack-install-error';
import { extractKpack } from './zip/read-kpack';
import { ZipSafetyError } from './zip/zip-safety-error';

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(0)} MB` : String(bytes);
}

/**
 * Unpacks a .kpack for install or checking. A hostile or broken archive becomes a finding like any other
 * (a PackInstallError with its report), so staff see why in their language.
 */
export async function extractPackArchive(source: string, dest: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  try {
    await extractKpack(source, dest, { onProgress });
  } catch (error) {
    if (!(error instanceof ZipSafetyError)) throw error;
    const limit = error.detail.limit;
    throw PackInstallError.single(error.code, error.entry ?? source, limit === undefined ? {} : { limit: formatBytes(Number(limit)) });
  }
}

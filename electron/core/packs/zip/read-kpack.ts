import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { readCentralDirectory, readExactly, type ArchiveEntry, type KpackEntry } from './central-directory';
import { entryPath } from './entry-names';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './limits';
import {
  decodeLocalHeader,
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  LOCAL_HEADER_BYTES,
  LOCAL_HEADER_SIGNATURE,
  METHOD_DEFLATE,
} from './zip-format';
import { ZipSafetyError } from './zip-safety-error';

export type { KpackEntry } from './central-directory';

export interface ExtractOptions {
  limits?: ZipLimits;
  onProgress?: (done: number, total: number) => void;
}

/** Reads the central directory and checks every safety rule before anything is written; throws the first ZipSafetyError. */
export async function inspectKpack(zipPath: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<KpackEntry[]> {
  const file = await open(zipPath, 'r');
  try {
    return (await readCentralDirectory(file, limits)).map(publicView);
  } finally {
    await file.close();
  }
}

/**
 * Inspects, then unpacks regular files into destDir (empty or absent) one stream at a time, holding every
 * entry to its declared size and CRC-32. On any failure it removes what it wrote and rethrows.
 */
export async function extractKpack(zipPath: string, destDir: string, options: ExtractOptions = {}): Promise<KpackEntry[]> {
  const file = await open(zipPath, 'r');
  try {
    const entries = await readCentralDirectory(file, options.limits ?? DEFAULT_ZIP_LIMITS);
    const undo = await claimEmptyDirectory(destDir);
    try {
      await writeEntries(file, entries, destDir, options.onProgress);
    } catch (error) {
      await undo();
      throw error;
    }
    return entries.map(publicView);
  } finally {
    await file.close();
  }
}

const publicView = ({ name, size, compressedSize, isDirectory }: ArchiveEntry): KpackEntry => ({
  name,
  size,
  compressedSize,
  isDirectory,
});

/** Makes destDir an empty folder we may write into, and returns how to take back whatever we put there. */
async function claimEmptyDirectory(dir: string): Promise<() => Promise<void>> {
  const removeTree = (path: string) => rm(path, { recursive: true, force: true, maxRetries: 3 });
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated !== undefined) return () => removeTree(firstCreated);
  if ((await readdir(dir)).length > 0) throw new Error(`Cannot extract a kiosk pack into ${dir}: the folder is not empty`);
  return async () => {
    for (const child of await readdir(dir)) await removeTree(join(dir, child));
  };
}

async function writeEntries(
  file: FileHandle,
  entries: ArchiveEntry[],
  destDir: string,
  onProgress: ExtractOptions['onProgress'],
): Promise<void> {
  const total = entries.reduce((sum, entry) => sum + (entry.isDirectory ? 0 : entry.size), 0);
  let done = 0;
  onProgress?.(0, total);
  const madeDirs = new Set<string>();
  const ensureDir = async (dir: string) => {
    if (madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  };
  for (const entry of entries) {
    const target = join(destDir, ...entryPath(entry.name).split('/'));
    if (entry.isDirectory) {
      await ensureDir(target);
      continue;
    }
    await ensureDir(dirname(target));
    await extractFile(file, entry, target, (bytes) => {
      done += bytes;
      onProgress?.(done, total);
    });
  }
}

async function extractFile(file: FileHandle, entry: ArchiveEntry, target: string, onBytes: (bytes: number) => void): Promise<void> {
  const dataStart = await locateData(file, entry);
  const compressed =
    entry.compressedSize === 0
      ? Readable.from([])
      : // Through the raw descriptor: FileHandle.createReadStream adds a listener to the handle per entry.
        createReadStream('', { fd: file.fd, start: dataStart, end: dataStart + entry.compressedSize - 1, autoClose: false });
  const guard = declaredContentGuard(entry, onBytes);
  // 'wx' never opens an existing path, so a link planted in the folder meanwhile is not followed.
  const output = createWriteStream(target, { flags: 'wx' });
  try {
    if (entry.method === METHOD_DEFLATE) await pipeline(compressed, createInflateRaw(), guard, output);
    else await pipeline(compressed, guard, output);
  } catch (error) {
    throw isZlibError(error) ? new ZipSafetyError('zip-corrupt', entry.name, { reason: 'bad-deflate-data' }) : error;
  }
}

/** Finds where the entry's data starts, checking that the local header agrees with the central directory. */
async function locateData(file: FileHandle, entry: ArchiveEntry): Promise<number> {
  const mismatch = (reason: string) => new ZipSafetyError('zip-corrupt', entry.name, { reason });
  const fixed = await readExactly(file, entry.localHeaderOffset, LOCAL_HEADER_BYTES, entry.name);
  if (fixed.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw mismatch('bad-local-header');
  const local = decodeLocalHeader(fixed);
  const encryption = FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION;
  if (local.method !== entry.method || (local.flags & encryption) !== (entry.flags & encryption)) {
    throw mismatch('local-header-disagrees');
  }
  const localName = await readExactly(file, entry.localHeaderOffset + LOCAL_HEADER_BYTES, local.nameLength, entry.name);
  if (!localName.equals(entry.nameBytes)) throw mismatch('local-name-disagrees');
  const dataStart = entry.localHeaderOffset + LOCAL_HEADER_BYTES + local.nameLength + local.extraLength;
  if (dataStart + entry.compressedSize > entry.dataLimit) throw mismatch('overlapping-entries');
  return dataStart;
}

/**
 * Lets an entry's bytes through only while they stay within the size the central directory declared, so a
 * lying header cannot push more onto the disk than was checked, then insists on the exact size and CRC-32.
 */
function declaredContentGuard(entry: ArchiveEntry, onBytes: (bytes: number) => void): Transform {
  let seen = 0;
  let crc = 0;
  const fail = (reason: string) =>
    new ZipSafetyError('zip-corrupt', entry.name, { reason, declaredSize: entry.size, seenSize: seen });
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > entry.size) {
        callback(fail('larger-than-declared'));
        return;
      }
      crc = crc32(chunk, crc);
      onBytes(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      if (seen !== entry.size) callback(fail('smaller-than-declared'));
      else if (crc !== entry.crc32) callback(fail('crc-mismatch'));
      else callback();
    },
  });
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

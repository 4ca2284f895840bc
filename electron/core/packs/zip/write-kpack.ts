import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { assertSafeEntryName, createPathClashCheck } from './entry-names';
import {
  encodeCentralHeader,
  encodeEndRecord,
  encodeLocalHeader,
  FLAG_UTF8_NAME,
  LOCAL_HEADER_BYTES,
  MAX_ZIP32_ENTRIES,
  MAX_ZIP32_SIZE,
  METHOD_DEFLATE,
  METHOD_STORE,
  UNIX_REGULAR_FILE,
  type LocalHeader,
} from './zip-format';

/** Already-compressed formats: deflating them again costs time and saves nothing. */
const STORED_EXTENSIONS = new Set(['.webm', '.mp4', '.m4v', '.png', '.jpg', '.jpeg', '.webp', '.avif', '.mp3', '.m4a', '.ogg', '.opus']);

// Every entry gets the same date, version and attributes, so the bytes depend only on names and contents.
const DOS_DATE_1980_01_01 = (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;
const VERSION_NEEDED_DEFLATE = 20;
/** Host 3 (Unix) in the high byte tells readers that the external attributes hold a Unix mode. */
const VERSION_MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED_DEFLATE;
const REGULAR_FILE_0644 = ((UNIX_REGULAR_FILE | 0o644) << 16) >>> 0;

interface SourceFile {
  name: string;
  nameBytes: Buffer;
  path: string;
  method: number;
}

export interface WriteZipOptions {
  /**
   * zlib level for deflated entries. Packs use 9: they are built once and copied to many kiosks. Log
   * exports (workbooks, bundles) use less, because level 9 made a million-event workbook take ~50 s for
   * a few percent of size. The bytes stay deterministic for a given level.
   */
  level?: number;
}

/** The level log exports zip at: most of level 9's size for a fraction of its time. */
export const LOG_ZIP_LEVEL = 6;

/**
 * Zips `files` (paths relative to rootDir, '/' separated) so that the same names and contents always give
 * the same bytes. Streams each file, writes to outPath + '.tmp' and renames it into place when complete.
 */
export async function writeKpack(
  rootDir: string,
  files: string[],
  outPath: string,
  onProgress?: (done: number, total: number) => void,
  options: WriteZipOptions = {},
): Promise<void> {
  if (files.length > MAX_ZIP32_ENTRIES) {
    throw new Error(`A kiosk pack holds at most ${MAX_ZIP32_ENTRIES} files (more would need Zip64); got ${files.length}`);
  }
  const sources = sortedSources(rootDir, files);
  const sizes = await Promise.all(sources.map((source) => regularFileSize(source.path)));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const storedTotal = sizes.reduce((sum, size, index) => sum + (sources[index]?.method === METHOD_STORE ? size : 0), 0);
  if (sizes.some((size) => size >= MAX_ZIP32_SIZE) || storedTotal >= MAX_ZIP32_SIZE) throw zip64Needed();

  const tempPath = `${outPath}.tmp`;
  const out = await open(tempPath, 'w');
  try {
    let done = 0;
    onProgress?.(0, total);
    await writeArchive(out, sources, options.level ?? 9, (bytes) => {
      done += bytes;
      onProgress?.(done, total);
    });
    await out.sync();
  } catch (error) {
    await out.close();
    await rm(tempPath, { force: true });
    throw error;
  }
  await out.close();
  await rename(tempPath, outPath);
}

function sortedSources(rootDir: string, files: string[]): SourceFile[] {
  const sources = files
    .map((name) => ({
      name,
      nameBytes: Buffer.from(name, 'utf8'),
      path: join(rootDir, name),
      method: STORED_EXTENSIONS.has(extname(name).toLowerCase()) ? METHOD_STORE : METHOD_DEFLATE,
    }))
    .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));
  // The same rules the reader applies, so a pack that was written can also be installed.
  const checkClash = createPathClashCheck();
  for (const { name } of sources) {
    assertSafeEntryName(name);
    checkClash(name, false);
  }
  return sources;
}

async function regularFileSize(path: string): Promise<number> {
  const stats = await stat(path);
  if (!stats.isFile()) throw new Error(`Cannot put ${path} in a kiosk pack: it is not a regular file`);
  return stats.size;
}

async function writeArchive(out: FileHandle, sources: SourceFile[], level: number, onBytes: (bytes: number) => void): Promise<void> {
  const directory: Buffer[] = [];
  let position = 0;
  for (const source of sources) {
    const headerOffset = position;
    const dataStart = headerOffset + LOCAL_HEADER_BYTES + source.nameBytes.length;
    const data = await writeEntryData(out, source, dataStart, level, onBytes);
    position = dataStart + data.compressedSize;
    if (position >= MAX_ZIP32_SIZE || data.size >= MAX_ZIP32_SIZE) throw zip64Needed();
    const header: LocalHeader = {
      versionNeeded: VERSION_NEEDED_DEFLATE,
      flags: FLAG_UTF8_NAME,
      method: source.method,
      dosTime: DOS_TIME_MIDNIGHT,
      dosDate: DOS_DATE_1980_01_01,
      crc32: data.crc32,
      compressedSize: data.compressedSize,
      size: data.size,
      nameLength: source.nameBytes.length,
      extraLength: 0,
    };
    // The header goes in last, into the gap left for it, once the data told us its CRC and sizes.
    await writeAll(out, Buffer.concat([encodeLocalHeader(header), source.nameBytes]), headerOffset);
    directory.push(
      encodeCentralHeader({
        ...header,
        versionMadeBy: VERSION_MADE_BY_UNIX,
        commentLength: 0,
        diskStart: 0,
        internalAttributes: 0,
        externalAttributes: REGULAR_FILE_0644,
        localHeaderOffset: headerOffset,
      }),
      source.nameBytes,
    );
  }
  const directoryBytes = Buffer.concat(directory);
  if (position + directoryBytes.length >= MAX_ZIP32_SIZE) throw zip64Needed();
  const end = encodeEndRecord({
    disk: 0,
    centralDirectoryDisk: 0,
    entriesOnDisk: sources.length,
    entries: sources.length,
    centralDirectorySize: directoryBytes.length,
    centralDirectoryOffset: position,
    commentLength: 0,
  });
  await writeAll(out, Buffer.concat([directoryBytes, end]), position);
}

async function writeEntryData(
  out: FileHandle,
  source: SourceFile,
  start: number,
  level: number,
  onBytes: (bytes: number) => void,
): Promise<{ crc32: number; size: number; compressedSize: number }> {
  let crc = 0;
  let size = 0;
  let position = start;
  const input = createReadStream(source.path);
  const measure = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      onBytes(chunk.length);
      yield chunk;
    }
  };
  const writeOut = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      await writeAll(out, chunk, position);
      position += chunk.length;
    }
  };
  if (source.method === METHOD_DEFLATE) await pipeline(input, measure, createDeflateRaw({ level }), writeOut);
  else await pipeline(input, measure, writeOut);
  return { crc32: crc, size, compressedSize: position - start };
}

async function writeAll(out: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await out.write(bytes, written, bytes.length - written, position + written);
    written += result.bytesWritten;
  }
}

const zip64Needed = () =>
  new Error('This kiosk pack would be over 4 GiB, which needs Zip64; kiosk packs do not use it. Make the media smaller or split the pack.');

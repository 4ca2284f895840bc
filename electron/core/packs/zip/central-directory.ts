import type { FileHandle } from 'node:fs/promises';
import { assertSafeEntryName, createPathClashCheck } from './entry-names';
import { RATIO_CHECK_MIN_BYTES, type ZipLimits } from './limits';
import {
  CENTRAL_HEADER_BYTES,
  CENTRAL_HEADER_SIGNATURE,
  decodeCentralHeader,
  decodeEndRecord,
  END_RECORD_BYTES,
  END_RECORD_SIGNATURE,
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  LOCAL_HEADER_BYTES,
  MAX_COMMENT_BYTES,
  MAX_ZIP32_ENTRIES,
  MAX_ZIP32_SIZE,
  METHOD_DEFLATE,
  METHOD_STORE,
  UNIX_DIRECTORY,
  UNIX_REGULAR_FILE,
  UNIX_TYPE_MASK,
  unixModeOf,
  ZIP64_LOCATOR_BYTES,
  ZIP64_LOCATOR_SIGNATURE,
  type CentralHeader,
  type EndRecord,
} from './zip-format';
import { ZipSafetyError } from './zip-safety-error';

export interface KpackEntry {
  /** As stored in the archive: '/' separated, directories end with '/'. */
  name: string;
  size: number;
  compressedSize: number;
  isDirectory: boolean;
}

/** What extraction needs beyond the public view, all taken from the central directory. */
export interface ArchiveEntry extends KpackEntry {
  nameBytes: Buffer;
  method: number;
  flags: number;
  crc32: number;
  localHeaderOffset: number;
  /** Where the next entry (or the central directory) starts: this entry's data must end before it. */
  dataLimit: number;
}

const READ_CHUNK_BYTES = 64 * 1024;
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Reads the central directory and applies every rule that can be decided without unpacking: names,
 * file types, encryption, methods, declared sizes and ratios, path clashes, and whether entries overlap.
 */
export async function readCentralDirectory(file: FileHandle, limits: ZipLimits): Promise<ArchiveEntry[]> {
  const { size: fileSize } = await file.stat();
  const { record: end, offset: endOffset } = await findEndRecord(file, fileSize);
  if (end.disk !== 0 || end.centralDirectoryDisk !== 0 || end.entriesOnDisk !== end.entries) {
    throw new ZipSafetyError('zip-unsupported', null, { reason: 'multi-disk' });
  }
  if (
    end.entries === MAX_ZIP32_ENTRIES ||
    end.centralDirectorySize === MAX_ZIP32_SIZE ||
    end.centralDirectoryOffset === MAX_ZIP32_SIZE
  ) {
    throw new ZipSafetyError('zip-unsupported', null, { reason: 'zip64' });
  }
  if (end.entries > limits.maxEntries) {
    throw new ZipSafetyError('zip-too-many-entries', null, { entries: end.entries, max: limits.maxEntries });
  }
  const directoryEnd = end.centralDirectoryOffset + end.centralDirectorySize;
  if (directoryEnd !== endOffset) {
    if (directoryEnd + ZIP64_LOCATOR_BYTES <= endOffset && (await hasZip64Locator(file, endOffset))) {
      throw new ZipSafetyError('zip-unsupported', null, { reason: 'zip64' });
    }
    throw new ZipSafetyError('zip-corrupt', null, { reason: 'central-directory-misplaced' });
  }

  const reader = sequentialReader(file, end.centralDirectoryOffset, directoryEnd);
  const checkEntry = createEntryChecks(limits);
  const entries: ArchiveEntry[] = [];
  for (let index = 0; index < end.entries; index++) {
    const fixed = await reader.take(CENTRAL_HEADER_BYTES);
    if (fixed.readUInt32LE(0) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipSafetyError('zip-corrupt', null, { reason: 'bad-central-header', index });
    }
    const header = decodeCentralHeader(fixed);
    const nameBytes = Buffer.from(await reader.take(header.nameLength));
    reader.skip(header.extraLength + header.commentLength);
    entries.push(checkEntry(header, nameBytes));
  }
  if (reader.position() !== directoryEnd) {
    throw new ZipSafetyError('zip-corrupt', null, { reason: 'central-directory-size' });
  }
  assignDataLimits(entries, end.centralDirectoryOffset);
  return entries;
}

async function findEndRecord(file: FileHandle, fileSize: number): Promise<{ record: EndRecord; offset: number }> {
  if (fileSize < END_RECORD_BYTES) throw new ZipSafetyError('zip-corrupt', null, { reason: 'too-short' });
  const tailStart = Math.max(0, fileSize - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  const tail = await readExactly(file, tailStart, fileSize - tailStart, null);
  // The comment must run exactly to the end of the file, so a signature inside a comment cannot pose as the record.
  for (let at = tail.length - END_RECORD_BYTES; at >= 0; at--) {
    if (tail.readUInt32LE(at) === END_RECORD_SIGNATURE && tail.readUInt16LE(at + 20) === tail.length - at - END_RECORD_BYTES) {
      return { record: decodeEndRecord(tail.subarray(at, at + END_RECORD_BYTES)), offset: tailStart + at };
    }
  }
  throw new ZipSafetyError('zip-corrupt', null, { reason: 'no-end-of-central-directory' });
}

async function hasZip64Locator(file: FileHandle, endOffset: number): Promise<boolean> {
  const signature = await readExactly(file, endOffset - ZIP64_LOCATOR_BYTES, 4, null);
  return signature.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE;
}

function createEntryChecks(limits: ZipLimits): (header: CentralHeader, nameBytes: Buffer) => ArchiveEntry {
  const checkClash = createPathClashCheck();
  let totalBytes = 0;
  return (header, nameBytes) => {
    const name = decodeName(nameBytes);
    const fail = (code: ZipSafetyError['code'], detail: Record<string, string | number> = {}) =>
      new ZipSafetyError(code, name, detail);
    const unixType = unixModeOf(header.externalAttributes) & UNIX_TYPE_MASK;
    const isDirectory = name.endsWith('/') || unixType === UNIX_DIRECTORY;

    assertSafeEntryName(name);
    if (unixType !== 0 && unixType !== UNIX_REGULAR_FILE && unixType !== UNIX_DIRECTORY) {
      throw fail('zip-symlink', { mode: unixType.toString(8) });
    }
    if ((header.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) throw fail('zip-encrypted');
    if (header.method !== METHOD_STORE && header.method !== METHOD_DEFLATE) {
      throw fail('zip-unsupported', { reason: 'compression-method', method: header.method });
    }
    if ([header.size, header.compressedSize, header.localHeaderOffset].includes(MAX_ZIP32_SIZE)) {
      throw fail('zip-unsupported', { reason: 'zip64' });
    }
    if (header.diskStart !== 0) throw fail('zip-unsupported', { reason: 'multi-disk' });
    if (isDirectory && header.size !== 0) throw fail('zip-corrupt', { reason: 'directory-with-data' });
    if (header.method === METHOD_STORE && header.size !== header.compressedSize) {
      throw fail('zip-corrupt', { reason: 'stored-sizes-differ' });
    }
    if (header.size > limits.maxEntryBytes) {
      throw fail('zip-entry-too-large', { size: header.size, max: limits.maxEntryBytes });
    }
    totalBytes += header.size;
    if (totalBytes > limits.maxTotalBytes) {
      throw fail('zip-total-too-large', { total: totalBytes, max: limits.maxTotalBytes });
    }
    if (header.size > RATIO_CHECK_MIN_BYTES && header.size > header.compressedSize * limits.maxRatio) {
      throw fail('zip-ratio', { size: header.size, compressedSize: header.compressedSize, max: limits.maxRatio });
    }
    checkClash(name, isDirectory);
    return {
      name,
      size: header.size,
      compressedSize: header.compressedSize,
      isDirectory,
      nameBytes,
      method: header.method,
      flags: header.flags,
      crc32: header.crc32,
      localHeaderOffset: header.localHeaderOffset,
      dataLimit: 0,
    };
  };
}

/**
 * Names are UTF-8 whether or not flag bit 11 says so (ASCII is UTF-8 too). Anything else is a legacy code
 * page (CP437, GBK...) that cannot be told apart reliably, so it is refused rather than guessed.
 */
function decodeName(bytes: Buffer): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    throw new ZipSafetyError('zip-unsupported', utf8Lenient.decode(bytes), { reason: 'name-not-utf8' });
  }
}

/**
 * Each entry owns the bytes from its local header up to the next entry; sharing them is how
 * "overlapping" zip bombs multiply output without any single entry looking suspicious.
 */
function assignDataLimits(entries: ArchiveEntry[], centralDirectoryOffset: number): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  byOffset.forEach((entry, index) => {
    const limit = byOffset[index + 1]?.localHeaderOffset ?? centralDirectoryOffset;
    const smallestEnd = entry.localHeaderOffset + LOCAL_HEADER_BYTES + entry.nameBytes.length + entry.compressedSize;
    if (smallestEnd > limit) throw new ZipSafetyError('zip-corrupt', entry.name, { reason: 'overlapping-entries' });
    entry.dataLimit = limit;
  });
}

/** Reads a byte range front to back in large chunks, so thousands of small records cost few reads. */
function sequentialReader(file: FileHandle, start: number, end: number) {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  const ensureWithinRange = (length: number) => {
    if (position + length > end) throw new ZipSafetyError('zip-corrupt', null, { reason: 'central-directory-overrun' });
  };
  return {
    position: () => position,
    async take(length: number): Promise<Buffer> {
      ensureWithinRange(length);
      if (position + length > chunkStart + chunk.length) {
        chunk = await readExactly(file, position, Math.min(Math.max(length, READ_CHUNK_BYTES), end - position), null);
        chunkStart = position;
      }
      const bytes = chunk.subarray(position - chunkStart, position - chunkStart + length);
      position += length;
      return bytes;
    },
    skip(length: number): void {
      ensureWithinRange(length);
      position += length;
    },
  };
}

export async function readExactly(file: FileHandle, position: number, length: number, entry: string | null): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new ZipSafetyError('zip-corrupt', entry, { reason: 'unexpected-end-of-file' });
    filled += bytesRead;
  }
  return bytes;
}

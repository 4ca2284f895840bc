/**
 * The three zip records kiosk packs use (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), encoded and decoded in one
 * place so the reader and the writer cannot disagree about an offset.
 */

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_RECORD_SIGNATURE = 0x06054b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

export const LOCAL_HEADER_BYTES = 30;
export const CENTRAL_HEADER_BYTES = 46;
export const END_RECORD_BYTES = 22;
export const ZIP64_LOCATOR_BYTES = 20;
export const MAX_COMMENT_BYTES = 0xffff;

/** Field values at or above these mean "look in the Zip64 record", which kiosk packs never need. */
export const MAX_ZIP32_SIZE = 0xffffffff;
export const MAX_ZIP32_ENTRIES = 0xffff;

export const FLAG_ENCRYPTED = 1 << 0;
export const FLAG_STRONG_ENCRYPTION = 1 << 6;
export const FLAG_UTF8_NAME = 1 << 11;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

/** The upper 16 bits of the external attributes hold a Unix st_mode when the writer recorded one. */
export const UNIX_TYPE_MASK = 0o170000;
export const UNIX_REGULAR_FILE = 0o100000;
export const UNIX_DIRECTORY = 0o040000;
export const unixModeOf = (externalAttributes: number): number => externalAttributes >>> 16;

export interface LocalHeader {
  versionNeeded: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc32: number;
  compressedSize: number;
  size: number;
  nameLength: number;
  extraLength: number;
}

export interface CentralHeader extends LocalHeader {
  versionMadeBy: number;
  commentLength: number;
  diskStart: number;
  internalAttributes: number;
  externalAttributes: number;
  localHeaderOffset: number;
}

export interface EndRecord {
  disk: number;
  centralDirectoryDisk: number;
  entriesOnDisk: number;
  entries: number;
  centralDirectorySize: number;
  centralDirectoryOffset: number;
  commentLength: number;
}

export function encodeLocalHeader(header: LocalHeader): Buffer {
  const out = Buffer.alloc(LOCAL_HEADER_BYTES);
  out.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  out.writeUInt16LE(header.versionNeeded, 4);
  out.writeUInt16LE(header.flags, 6);
  out.writeUInt16LE(header.method, 8);
  out.writeUInt16LE(header.dosTime, 10);
  out.writeUInt16LE(header.dosDate, 12);
  out.writeUInt32LE(header.crc32, 14);
  out.writeUInt32LE(header.compressedSize, 18);
  out.writeUInt32LE(header.size, 22);
  out.writeUInt16LE(header.nameLength, 26);
  out.writeUInt16LE(header.extraLength, 28);
  return out;
}

/** Expects LOCAL_HEADER_BYTES bytes whose signature the caller has checked. */
export function decodeLocalHeader(bytes: Buffer): LocalHeader {
  return {
    versionNeeded: bytes.readUInt16LE(4),
    flags: bytes.readUInt16LE(6),
    method: bytes.readUInt16LE(8),
    dosTime: bytes.readUInt16LE(10),
    dosDate: bytes.readUInt16LE(12),
    crc32: bytes.readUInt32LE(14),
    compressedSize: bytes.readUInt32LE(18),
    size: bytes.readUInt32LE(22),
    nameLength: bytes.readUInt16LE(26),
    extraLength: bytes.readUInt16LE(28),
  };
}

export function encodeCentralHeader(header: CentralHeader): Buffer {
  const out = Buffer.alloc(CENTRAL_HEADER_BYTES);
  out.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  out.writeUInt16LE(header.versionMadeBy, 4);
  out.writeUInt16LE(header.versionNeeded, 6);
  out.writeUInt16LE(header.flags, 8);
  out.writeUInt16LE(header.method, 10);
  out.writeUInt16LE(header.dosTime, 12);
  out.writeUInt16LE(header.dosDate, 14);
  out.writeUInt32LE(header.crc32, 16);
  out.writeUInt32LE(header.compressedSize, 20);
  out.writeUInt32LE(header.size, 24);
  out.writeUInt16LE(header.nameLength, 28);
  out.writeUInt16LE(header.extraLength, 30);
  out.writeUInt16LE(header.commentLength, 32);
  out.writeUInt16LE(header.diskStart, 34);
  out.writeUInt16LE(header.internalAttributes, 36);
  out.writeUInt32LE(header.externalAttributes, 38);
  out.writeUInt32LE(header.localHeaderOffset, 42);
  return out;
}

/** Expects CENTRAL_HEADER_BYTES bytes whose signature the caller has checked. */
export function decodeCentralHeader(bytes: Buffer): CentralHeader {
  return {
    versionMadeBy: bytes.readUInt16LE(4),
    versionNeeded: bytes.readUInt16LE(6),
    flags: bytes.readUInt16LE(8),
    method: bytes.readUInt16LE(10),
    dosTime: bytes.readUInt16LE(12),
    dosDate: bytes.readUInt16LE(14),
    crc32: bytes.readUInt32LE(16),
    compressedSize: bytes.readUInt32LE(20),
    size: bytes.readUInt32LE(24),
    nameLength: bytes.readUInt16LE(28),
    extraLength: bytes.readUInt16LE(30),
    commentLength: bytes.readUInt16LE(32),
    diskStart: bytes.readUInt16LE(34),
    internalAttributes: bytes.readUInt16LE(36),
    externalAttributes: bytes.readUInt32LE(38),
    localHeaderOffset: bytes.readUInt32LE(42),
  };
}

export function encodeEndRecord(record: EndRecord): Buffer {
  const out = Buffer.alloc(END_RECORD_BYTES);
  out.writeUInt32LE(END_RECORD_SIGNATURE, 0);
  out.writeUInt16LE(record.disk, 4);
  out.writeUInt16LE(record.centralDirectoryDisk, 6);
  out.writeUInt16LE(record.entriesOnDisk, 8);
  out.writeUInt16LE(record.entries, 10);
  out.writeUInt32LE(record.centralDirectorySize, 12);
  out.writeUInt32LE(record.centralDirectoryOffset, 16);
  out.writeUInt16LE(record.commentLength, 20);
  return out;
}

/** Expects END_RECORD_BYTES bytes whose signature the caller has checked. */
export function decodeEndRecord(bytes: Buffer): EndRecord {
  return {
    disk: bytes.readUInt16LE(4),
    centralDirectoryDisk: bytes.readUInt16LE(6),
    entriesOnDisk: bytes.readUInt16LE(8),
    entries: bytes.readUInt16LE(10),
    centralDirectorySize: bytes.readUInt32LE(12),
    centralDirectoryOffset: bytes.readUInt32LE(16),
    commentLength: bytes.readUInt16LE(20),
  };
}

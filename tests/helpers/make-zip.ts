import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A raw zip writer for tests, independent of the production encoder so a layout mistake there is not
 * mirrored here, and free to write whatever a hostile archive would contain.
 */
export interface RawEntry {
  name: string | Buffer;
  data?: Buffer;
  /** 0 stores `data`, 8 deflates it; anything else stores it under that method number. */
  method?: number;
  /** Default 0x0800 (UTF-8 names). */
  flags?: number;
  /** Unix st_mode for the high half of the external attributes; default 0o100644. */
  unixMode?: number;
  /** What the headers claim instead of the truth. */
  lie?: { size?: number; compressedSize?: number; crc32?: number; localHeaderOffset?: number };
}

const UTF8_FLAG = 0x0800;

export function buildZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.method ?? 0;
    const payload = method === 8 ? deflateRawSync(data) : data;
    const fields = {
      flags: entry.flags ?? UTF8_FLAG,
      method,
      crc32: entry.lie?.crc32 ?? crc32(data),
      compressedSize: entry.lie?.compressedSize ?? payload.length,
      size: entry.lie?.size ?? data.length,
      nameLength: name.length,
    };
    const localHeaderOffset = entry.lie?.localHeaderOffset ?? offset;
    const local = localHeader(fields);
    parts.push(local, name, payload);
    central.push(centralHeader(fields, ((entry.unixMode ?? 0o100644) * 0x10000) >>> 0, localHeaderOffset), name);
    offset += local.length + name.length + payload.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endRecord(entries.length, directory.length, offset)]);
}

export function writeZip(dir: string, fileName: string, entries: RawEntry[]): string {
  const path = join(dir, fileName);
  writeFileSync(path, buildZip(entries));
  return path;
}

/**
 * A zip with one stored entry of `size` zero bytes. The data is a hole in a sparse file, so a big archive
 * costs neither time nor disk space to make.
 */
export function writeSparseZeroZip(path: string, entryName: string, size: number): void {
  const name = Buffer.from(entryName, 'utf8');
  const zeros = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let left = size; left > 0; left -= zeros.length) crc = crc32(zeros.subarray(0, Math.min(left, zeros.length)), crc);
  const fields = { flags: UTF8_FLAG, method: 0, crc32: crc, compressedSize: size, size, nameLength: name.length };
  const dataStart = 30 + name.length;
  const central = Buffer.concat([centralHeader(fields, (0o100644 * 0x10000) >>> 0, 0), name]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.concat([localHeader(fields), name]), 0, dataStart, 0);
    const tail = Buffer.concat([central, endRecord(1, central.length, dataStart + size)]);
    writeSync(fd, tail, 0, tail.length, dataStart + size);
  } finally {
    closeSync(fd);
  }
}

interface Fields {
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  nameLength: number;
}

function localHeader(f: Fields): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(f.flags, 6);
  b.writeUInt16LE(f.method, 8);
  b.writeUInt16LE(0x0021, 12);
  b.writeUInt32LE(f.crc32 >>> 0, 14);
  b.writeUInt32LE(f.compressedSize, 18);
  b.writeUInt32LE(f.size, 22);
  b.writeUInt16LE(f.nameLength, 26);
  return b;
}

function centralHeader(f: Fields, externalAttributes: number, localHeaderOffset: number): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(0x0314, 4);
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(f.flags, 8);
  b.writeUInt16LE(f.method, 10);
  b.writeUInt16LE(0x0021, 14);
  b.writeUInt32LE(f.crc32 >>> 0, 16);
  b.writeUInt32LE(f.compressedSize, 20);
  b.writeUInt32LE(f.size, 24);
  b.writeUInt16LE(f.nameLength, 28);
  b.writeUInt32LE(externalAttributes, 38);
  b.writeUInt32LE(localHeaderOffset, 42);
  return b;
}

function endRecord(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(entries, 8);
  b.writeUInt16LE(entries, 10);
  b.writeUInt32LE(directorySize, 12);
  b.writeUInt32LE(directoryOffset, 16);
  return b;
}

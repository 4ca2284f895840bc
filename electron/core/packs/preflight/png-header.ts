import { crc32 } from 'node:zlib';
import type { HeaderReading } from './image-size';
import { ascii, hasBytes, u32be } from './read-bytes';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR_LENGTH = 13;
// The signature, then IHDR's length and type, its 13 data bytes and its CRC.
const IHDR_TYPE_AT = 12;
const IHDR_CRC_AT = IHDR_TYPE_AT + 4 + IHDR_LENGTH;
const HEADER_END = IHDR_CRC_AT + 4;

/** PNG must start with IHDR; its CRC is checked because a damaged header is the one part a decoder cannot skip. */
export function readPngHeader(bytes: Uint8Array): HeaderReading {
  if (bytes.length < SIGNATURE.length) return 'image-truncated';
  if (!hasBytes(bytes, 0, SIGNATURE)) return 'image-corrupt';
  if (bytes.length < HEADER_END) return 'image-truncated';
  if (u32be(bytes, 8) !== IHDR_LENGTH || ascii(bytes, IHDR_TYPE_AT, 4) !== 'IHDR') return 'image-corrupt';
  // The CRC covers the chunk type and data.
  if (crc32(bytes.subarray(IHDR_TYPE_AT, IHDR_CRC_AT)) !== u32be(bytes, IHDR_CRC_AT)) return 'image-corrupt';
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

import type { HeaderReading } from './image-size';
import { ascii, hasBytes, u8, u16le, u24le, u32le } from './read-bytes';

// 'RIFF', file size, 'WEBP', then the first chunk's FourCC and size; its data starts here.
const CHUNK_DATA_AT = 20;
const VP8_START_CODE = [0x9d, 0x01, 0x2a];
const VP8L_SIGNATURE = 0x2f;

/** WebP states its size in the first chunk, which differs for lossy (VP8), lossless (VP8L) and extended (VP8X) files. */
export function readWebpHeader(bytes: Uint8Array): HeaderReading {
  if (bytes.length < 16) return 'image-truncated';
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return 'image-corrupt';
  switch (ascii(bytes, 12, 4)) {
    case 'VP8 ':
      return readVp8(bytes);
    case 'VP8L':
      return readVp8l(bytes);
    case 'VP8X':
      return readVp8x(bytes);
    default:
      return 'image-corrupt';
  }
}

/** A key frame's 3-byte tag and start code, then 14-bit width and height whose top two bits are a scaling hint. */
function readVp8(bytes: Uint8Array): HeaderReading {
  if (bytes.length < CHUNK_DATA_AT + 10) return 'image-truncated';
  const isKeyFrame = (u8(bytes, CHUNK_DATA_AT) & 1) === 0;
  if (!isKeyFrame || !hasBytes(bytes, CHUNK_DATA_AT + 3, VP8_START_CODE)) return 'image-corrupt';
  return { width: u16le(bytes, CHUNK_DATA_AT + 6) & 0x3fff, height: u16le(bytes, CHUNK_DATA_AT + 8) & 0x3fff };
}

/** A signature byte, then width-1 and height-1 in 14 bits each, an alpha bit and a 3-bit version that must be 0. */
function readVp8l(bytes: Uint8Array): HeaderReading {
  if (bytes.length < CHUNK_DATA_AT + 5) return 'image-truncated';
  const bits = u32le(bytes, CHUNK_DATA_AT + 1);
  if (u8(bytes, CHUNK_DATA_AT) !== VP8L_SIGNATURE || bits >>> 29 !== 0) return 'image-corrupt';
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

/** Flags and reserved bytes, then the canvas width-1 and height-1 in 24 bits each. */
function readVp8x(bytes: Uint8Array): HeaderReading {
  if (bytes.length < CHUNK_DATA_AT + 10) return 'image-truncated';
  return { width: u24le(bytes, CHUNK_DATA_AT + 4) + 1, height: u24le(bytes, CHUNK_DATA_AT + 7) + 1 };
}

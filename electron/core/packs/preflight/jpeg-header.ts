import type { HeaderReading } from './image-size';
import { u8, u16be } from './read-bytes';

const MARKER = 0xff;
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
// C4, C8 and CC sit among the SOF codes but are DHT, JPG and DAC, which carry no frame size.
const NOT_FRAME_HEADERS = new Set([0xc4, 0xc8, 0xcc]);

/** JPEG keeps its size in the frame header (SOFn), which may follow any amount of metadata; so walk the markers. */
export function readJpegHeader(bytes: Uint8Array): HeaderReading {
  if (bytes.length < 2) return 'image-truncated';
  if (u8(bytes, 0) !== MARKER || u8(bytes, 1) !== SOI) return 'image-corrupt';
  let at = 2;
  for (;;) {
    if (at >= bytes.length) return 'image-truncated';
    if (u8(bytes, at) !== MARKER) return 'image-corrupt';
    // A marker may be preceded by any number of 0xFF fill bytes.
    while (at < bytes.length && u8(bytes, at) === MARKER) at++;
    if (at >= bytes.length) return 'image-truncated';
    const code = u8(bytes, at);
    at++;
    if (code === TEM || (code >= 0xd0 && code <= 0xd7)) continue; // TEM and RSTn have no length field
    // Image data, an end or a second start before any frame header: there is no size to find.
    if (code === 0x00 || code === SOS || code === EOI || code === SOI) return 'image-corrupt';
    if (at + 2 > bytes.length) return 'image-truncated';
    const length = u16be(bytes, at);
    if (length < 2) return 'image-corrupt';
    if (isFrameHeader(code)) {
      // Length, sample precision, then height and width.
      if (length < 8) return 'image-corrupt';
      if (at + 7 > bytes.length) return 'image-truncated';
      return { width: u16be(bytes, at + 5), height: u16be(bytes, at + 3) };
    }
    at += length;
  }
}

function isFrameHeader(code: number): boolean {
  return code >= 0xc0 && code <= 0xcf && !NOT_FRAME_HEADERS.has(code);
}

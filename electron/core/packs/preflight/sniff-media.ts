import type { MediaKind } from './media-kind';
import { ascii, hasBytes, u8, u32be } from './read-bytes';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI_AND_MARKER = [0xff, 0xd8, 0xff];
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const EBML_DOCTYPE_ID = 0x4282;

/** The container in the first bytes of a file (pass at least 64), judged by its signature and never by its name. */
export function sniffMediaKind(head: Uint8Array): MediaKind | null {
  if (hasBytes(head, 0, PNG_SIGNATURE)) return 'png';
  if (hasBytes(head, 0, JPEG_SOI_AND_MARKER)) return 'jpeg';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
  // Byte 4 is the Ogg stream structure version, which has only ever been 0.
  if (ascii(head, 0, 4) === 'OggS' && head.length > 4 && u8(head, 4) === 0) return 'ogg';
  if (ascii(head, 4, 4) === 'ftyp') return isoBmffKind(head);
  // Chromium's WebM support covers the WebM subset; a general Matroska file may use codecs or features it rejects.
  if (hasBytes(head, 0, EBML_MAGIC)) return ebmlDocType(head) === 'webm' ? 'webm' : null;
  if (hasId3Tag(head) || startsWithMp3Frame(head)) return 'mp3';
  return null;
}

/** mp4, m4a and avif share one container; the ftyp box's brands say which profile the file follows. */
function isoBmffKind(head: Uint8Array): MediaKind | null {
  const ftypSize = u32be(head, 0);
  // Size, 'ftyp', major brand and minor version take 16 bytes; compatible brands follow, four bytes each.
  if (ftypSize < 16 || ftypSize % 4 !== 0) return null;
  const brands = [ascii(head, 8, 4)];
  for (let at = 16; at + 4 <= Math.min(ftypSize, head.length); at += 4) brands.push(ascii(head, at, 4));
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return 'avif';
  if (brands.some((brand) => brand === 'M4A ' || brand === 'M4B ')) return 'm4a';
  return 'mp4';
}

interface Vint {
  length: number;
  /** The bytes as one number, length marker included: how EBML element IDs are written down. */
  raw: number;
  /** The number without its length marker: how EBML sizes are read. */
  value: number;
}

/** An EBML variable-length integer; its first byte's leading zeros give its length of 1 to 8 bytes. */
function readVint(bytes: Uint8Array, at: number): Vint | null {
  const first = u8(bytes, at);
  const length = Math.clz32(first) - 23;
  if (first === 0 || at + length > bytes.length) return null;
  let raw = 0;
  for (let i = 0; i < length; i++) raw = raw * 256 + u8(bytes, at + i);
  return { length, raw, value: raw - 2 ** (7 * length) };
}

/** The DocType inside the EBML header, or null when the header cannot be walked within `head`. */
function ebmlDocType(head: Uint8Array): string | null {
  const headerSize = readVint(head, EBML_MAGIC.length);
  if (!headerSize) return null;
  let at = EBML_MAGIC.length + headerSize.length;
  const end = Math.min(head.length, at + headerSize.value);
  while (at < end) {
    const id = readVint(head, at);
    if (!id || id.length > 4) return null;
    const size = readVint(head, at + id.length);
    if (!size) return null;
    const dataStart = at + id.length + size.length;
    if (id.raw === EBML_DOCTYPE_ID) {
      if (dataStart + size.value > end) return null;
      // EBML strings may be padded with NULs to their declared size.
      return ascii(head, dataStart, size.value).replace(/\0+$/, '');
    }
    at = dataStart + size.value;
  }
  return null;
}

/** An ID3v2 header: 'ID3', a major version of 2 to 4, and a size whose four bytes each keep their top bit clear. */
function hasId3Tag(head: Uint8Array): boolean {
  if (ascii(head, 0, 3) !== 'ID3' || head.length < 10) return false;
  const major = u8(head, 3);
  return major >= 2 && major <= 4 && [6, 7, 8, 9].every((at) => u8(head, at) < 0x80);
}

/**
 * An MPEG audio frame header: 11 sync bits, then fields with no reserved values. Only Layer III is accepted, because
 * Chromium decodes MP3 but not MPEG-1/2 Layer I or II audio.
 */
function startsWithMp3Frame(head: Uint8Array): boolean {
  if (head.length < 4 || u8(head, 0) !== 0xff) return false;
  const versionLayer = u8(head, 1);
  const rateBits = u8(head, 2);
  const hasSync = (versionLayer & 0xe0) === 0xe0;
  const version = (versionLayer >> 3) & 0b11;
  const layer = (versionLayer >> 1) & 0b11;
  const bitrateIndex = rateBits >> 4;
  const sampleRateIndex = (rateBits >> 2) & 0b11;
  return hasSync && version !== 0b01 && layer === 0b01 && bitrateIndex !== 0b1111 && sampleRateIndex !== 0b11;
}

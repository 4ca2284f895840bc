import type { HeaderReading } from './image-size';
import { ascii, u8, u16be, u32be } from './read-bytes';

interface Box {
  type: string;
  /** Where the box's content starts, after its size, type and any 64-bit size. */
  content: number;
  end: number;
}

// meta, pitm, ipma and ispe are full boxes: a version byte and three flag bytes precede their fields.
const FULL_BOX_HEADER = 4;

/**
 * An AVIF's size is the 'ispe' property of its primary item: meta names the item (pitm), iprp/ipco lists properties,
 * and iprp/ipma says which belong to which item. Other items, such as an alpha plane or grid tiles, have their own ispe.
 */
export function readAvifHeader(bytes: Uint8Array): HeaderReading {
  const meta = findTopLevelBox(bytes, 'meta');
  if (typeof meta === 'string') return meta;
  if (meta.end > bytes.length) return 'image-truncated';
  const metaChildren = childBoxes(bytes, meta.content + FULL_BOX_HEADER, meta.end);
  const pitm = metaChildren?.find((box) => box.type === 'pitm');
  const iprp = metaChildren?.find((box) => box.type === 'iprp');
  if (!pitm || !iprp || pitm.end < pitm.content + FULL_BOX_HEADER + 2) return 'image-corrupt';
  const primaryItem = u8(bytes, pitm.content) === 0 ? u16be(bytes, pitm.content + 4) : u32be(bytes, pitm.content + 4);

  const iprpChildren = childBoxes(bytes, iprp.content, iprp.end);
  const ipco = iprpChildren?.find((box) => box.type === 'ipco');
  const ipma = iprpChildren?.find((box) => box.type === 'ipma');
  if (!ipco || !ipma) return 'image-corrupt';
  const properties = childBoxes(bytes, ipco.content, ipco.end);
  const ispe = propertyIndexes(bytes, ipma, primaryItem)
    ?.map((index) => properties?.[index - 1])
    .find((property) => property?.type === 'ispe');
  if (!ispe || ispe.content + FULL_BOX_HEADER + 8 > ispe.end) return 'image-corrupt';
  return { width: u32be(bytes, ispe.content + 4), height: u32be(bytes, ispe.content + 8) };
}

/** The 1-based ipco indexes that ipma associates with `item`, or null when ipma is malformed or omits the item. */
function propertyIndexes(bytes: Uint8Array, ipma: Box, item: number): number[] | null {
  const version = u8(bytes, ipma.content);
  const wideIndexes = (u8(bytes, ipma.content + 3) & 1) === 1;
  const entryCount = u32be(bytes, ipma.content + 4);
  let at = ipma.content + 8;
  for (let entry = 0; entry < entryCount && at < ipma.end; entry++) {
    const entryItem = version === 0 ? u16be(bytes, at) : u32be(bytes, at);
    at += version === 0 ? 2 : 4;
    const associations = u8(bytes, at);
    at += 1;
    const indexes: number[] = [];
    for (let i = 0; i < associations; i++) {
      // The top bit marks an essential property; the rest is the index.
      indexes.push(wideIndexes ? u16be(bytes, at) & 0x7fff : u8(bytes, at) & 0x7f);
      at += wideIndexes ? 2 : 1;
    }
    if (at > ipma.end) return null;
    if (entryItem === item) return indexes;
  }
  return null;
}

/** The box whose header starts at `at`, or null when the header does not fit before `limit`. */
function boxAt(bytes: Uint8Array, at: number, limit: number): Box | null {
  if (at + 8 > limit) return null;
  const size = u32be(bytes, at);
  const type = ascii(bytes, at + 4, 4);
  if (size === 1) {
    if (at + 16 > limit) return null;
    return { type, content: at + 16, end: at + u32be(bytes, at + 8) * 2 ** 32 + u32be(bytes, at + 12) };
  }
  // Size 0 means the box runs to the end of whatever contains it.
  return { type, content: at + 8, end: size === 0 ? limit : at + size };
}

/** Top-level boxes, such as mdat, may run past the buffer: it holds only the start of the file. */
function findTopLevelBox(bytes: Uint8Array, type: string): Box | 'image-truncated' | 'image-corrupt' {
  let at = 0;
  while (at < bytes.length) {
    const box = boxAt(bytes, at, bytes.length);
    if (!box) break;
    if (box.end < box.content) return 'image-corrupt';
    if (box.type === type) return box;
    at = box.end;
  }
  return 'image-truncated';
}

/** The boxes from `from` to `end` inside a parent box, which must hold them exactly; null when they do not fit. */
function childBoxes(bytes: Uint8Array, from: number, end: number): Box[] | null {
  const boxes: Box[] = [];
  let at = from;
  while (at < end) {
    const box = boxAt(bytes, at, end);
    if (!box || box.end < box.content || box.end > end) return null;
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

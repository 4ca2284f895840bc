/**
 * QR codes drawn on the kiosk itself, which is offline: a visitor scans the code with their phone to open an
 * official website later.
 */
import qrcode from 'qrcode-generator';

export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Bytes that fit in the largest QR code (version 40) in byte mode, per error correction level. */
const MAX_BYTES: Record<ErrorCorrection, number> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

/**
 * The modules of the smallest QR code that holds `text` in UTF-8, row by row, `true` for dark; the quiet zone
 * around it is left to the drawing. Throws a RangeError when the text is too long for any QR code.
 */
export function qrMatrix(text: string, ecc: ErrorCorrection = 'M'): boolean[][] {
  const bytes = new TextEncoder().encode(text);
  const max = MAX_BYTES[ecc];
  if (bytes.length > max) {
    throw new RangeError(`Too long for a QR code: ${bytes.length} bytes in UTF-8, at most ${max} at level ${ecc}`);
  }
  const code = qrcode(0, ecc);
  // The library's byte mode keeps the low 8 bits of each UTF-16 unit, so the UTF-8 bytes go in one per unit.
  // Switching its shared string encoder to UTF-8 would do the same for every other user of the library.
  code.addData(String.fromCharCode(...bytes), 'Byte');
  code.make();
  const size = code.getModuleCount();
  const modules = (row: number) => Array.from({ length: size }, (_, column) => code.isDark(row, column));
  return Array.from({ length: size }, (_, row) => modules(row));
}

/**
 * SVG path data for the dark modules, one unit square per module, moved right and down by `offset` modules (the
 * quiet zone). Each horizontal run of dark modules is one rectangle, which keeps the path short.
 */
export function darkModulesPath(matrix: readonly (readonly boolean[])[], offset: number): string {
  const rectangles: string[] = [];
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x += 1;
      const width = x - start + 1;
      rectangles.push(`M${start + offset} ${y + offset}h${width}v1h-${width}z`);
    }
  });
  return rectangles.join('');
}

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { darkModulesPath, qrMatrix } from '../../renderer/src/lib/qr';
import { tempDir } from '../helpers/temp-dir';

const CONSULAR_SITE = 'https://cs.mfa.gov.cn/';

/** Whether the 7×7 finder pattern (dark ring, light ring, dark 3×3 core) has its top left corner at (row, column). */
function hasFinderAt(matrix: boolean[][], row: number, column: number): boolean {
  for (let y = 0; y < 7; y += 1) {
    for (let x = 0; x < 7; x += 1) {
      const ring = Math.max(Math.abs(y - 3), Math.abs(x - 3));
      if (matrix[row + y]?.[column + x] !== (ring !== 2)) return false;
    }
  }
  return true;
}

/** Paints the path's rectangles (as `darkModulesPath` writes them) onto a grid of `size` × `size` modules. */
function paint(path: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const [, x, y, width] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let dx = 0; dx < Number(width); dx += 1) {
      const row = grid[Number(y)];
      if (row) row[Number(x) + dx] = true;
    }
  }
  return grid;
}

/** A binary PGM image of the code, `scale` pixels a module, with the 4-module quiet zone scanners need. */
function toPgm(matrix: boolean[][], scale = 6): Buffer {
  const side = (matrix.length + 8) * scale;
  const pixels = Buffer.alloc(side * side, 255);
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let line = (y + 4) * scale; line < (y + 5) * scale; line += 1) {
        pixels.fill(0, line * side + (x + 4) * scale, line * side + (x + 5) * scale);
      }
    }),
  );
  return Buffer.concat([Buffer.from(`P5\n${side} ${side}\n255\n`), pixels]);
}

// zbarimg (Debian's zbar-tools) is an independent QR decoder: reading the code back is the real proof that a
// phone can. It is not a project dependency, so the round trip runs only where it is installed.
const hasZbar = spawnSync('zbarimg', ['--version']).status === 0;

function decode(matrix: boolean[][]): string {
  const file = join(tempDir('kiosk-qr-'), 'code.pgm');
  writeFileSync(file, toPgm(matrix));
  // stderr is kept from the test output: zbarimg complains there when the machine has no D-Bus.
  return execFileSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8', stdio: 'pipe' }).replace(/\n$/, '');
}

describe('qrMatrix', () => {
  const matrix = qrMatrix(CONSULAR_SITE);

  it('is square, 21 + 4k modules wide, and the smallest version that holds the text', () => {
    expect(matrix.every((row) => row.length === matrix.length)).toBe(true);
    expect((matrix.length - 21) % 4).toBe(0);
    // 22 bytes need version 2 (25 modules) at level M; version 1 holds 14.
    expect(matrix.length).toBe(25);
    expect(qrMatrix('https://a.cn').length).toBe(21);
  });

  it('has the three finder patterns in the corners, and none in the fourth', () => {
    const far = matrix.length - 7;
    expect(hasFinderAt(matrix, 0, 0)).toBe(true);
    expect(hasFinderAt(matrix, 0, far)).toBe(true);
    expect(hasFinderAt(matrix, far, 0)).toBe(true);
    expect(hasFinderAt(matrix, far, far)).toBe(false);
  });

  it('grows with the error correction level', () => {
    const url = `${CONSULAR_SITE}consular-protection/`;
    const sizes = (['L', 'M', 'Q', 'H'] as const).map((ecc) => qrMatrix(url, ecc).length);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes[3]).toBeGreaterThan(sizes[0] ?? 0);
  });

  it('refuses text too long for any QR code, and takes the longest that fits', () => {
    expect(qrMatrix('a'.repeat(2331)).length).toBe(177);
    expect(() => qrMatrix('a'.repeat(2332))).toThrow(RangeError);
    // Chinese characters are three bytes each in UTF-8.
    expect(() => qrMatrix('领'.repeat(778))).toThrow(/2334 bytes/);
  });

  // Skipped only where zbarimg is missing (.ci/run installs zbar-tools): decoding needs a real reader.
  it.skipIf(!hasZbar)('decodes back to the URL', () => {
    expect(decode(matrix)).toBe(CONSULAR_SITE);
  });

  // Same reason as above.
  it.skipIf(!hasZbar)('holds non-ASCII text as UTF-8', () => {
    const url = 'https://example.cn/领事保护?q=“12308”';
    expect(decode(qrMatrix(url, 'Q'))).toBe(url);
  });
});

describe('darkModulesPath', () => {
  it('draws each horizontal run of dark modules as one rectangle, moved by the offset', () => {
    expect(
      darkModulesPath(
        [
          [true, true, false],
          [false, true, true],
        ],
        4,
      ),
    ).toBe('M4 4h2v1h-2zM5 5h2v1h-2z');
    expect(darkModulesPath([[false]], 4)).toBe('');
  });

  it('covers exactly the dark modules of a real code, inside the quiet zone', () => {
    const matrix = qrMatrix(CONSULAR_SITE);
    const painted = paint(darkModulesPath(matrix, 4), matrix.length + 8);
    const quietRows = [...painted.slice(0, 4), ...painted.slice(-4)];
    const quietColumns = painted.flatMap((row) => [...row.slice(0, 4), ...row.slice(-4)]);
    expect([...quietRows.flat(), ...quietColumns].some(Boolean)).toBe(false);
    expect(painted.slice(4, -4).map((row) => row.slice(4, -4))).toEqual(matrix);
  });
});

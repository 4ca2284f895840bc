// Thin wrappers around the external programs, so every failure names the program and shows its stderr.
import { spawnSync } from 'node:child_process';

export class ToolError extends Error {}

/**
 * Runs a program with an argument array (never through a shell, so text with quotes or $ is safe).
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ input?: string, allowFail?: boolean }} [opts]
 */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new ToolError(`${cmd}: ${res.error.message}`);
  if (res.status !== 0 && !opts.allowFail) {
    const tail = (res.stderr || '').trim().split('\n').slice(-15).join('\n');
    throw new ToolError(`${cmd} exited with ${res.status}\n  ${cmd} ${args.map(quote).join(' ')}\n${tail}`);
  }
  return res;
}

function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function which(cmd) {
  const res = spawnSync('which', [cmd], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

const INSTALL_HINT = 'apt-get install -y ffmpeg espeak-ng fonts-noto-cjk imagemagick';

/**
 * Finds the programs and fonts the generator needs, or explains what is missing.
 * @returns {{ magick: string[], fonts: { bold: string, regular: string } }}
 */
export function checkTools() {
  const missing = [];
  for (const cmd of ['ffmpeg', 'ffprobe', 'espeak-ng', 'fc-match']) {
    if (!which(cmd)) missing.push(cmd);
  }
  // ImageMagick 7 ships `magick`; 6 (Debian 12) only `convert`.
  const magick = which('magick') ? ['magick'] : which('convert') ? ['convert'] : null;
  if (!magick) missing.push('ImageMagick (magick/convert)');
  if (missing.length) {
    throw new ToolError(`missing tool(s): ${missing.join(', ')}\n  install with: ${INSTALL_HINT}`);
  }
  const bold = findCjkFont('Noto Sans CJK SC:style=Bold', magick);
  const regular = findCjkFont('Noto Sans CJK SC:style=Regular', magick) ?? bold;
  if (!bold) {
    throw new ToolError(`missing CJK font: fc-match finds no "Noto Sans CJK SC"\n  install with: ${INSTALL_HINT}`);
  }
  return { magick, fonts: { bold, regular } };
}

let fontListCache = null;

/**
 * fc-match silently substitutes another family, so the answer is checked. The .ttc holds JP/KR/SC/TC
 * faces and a bare file path would give ImageMagick the Japanese glyph shapes, so we hand it the
 * face's ImageMagick name when one points at the same file.
 */
function findCjkFont(pattern, magick) {
  const res = run('fc-match', ['-f', '%{file}\n%{family}', pattern], { allowFail: true });
  if (res.status !== 0) return null;
  const [file, family = ''] = res.stdout.split('\n');
  if (!file || !/CJK/i.test(family)) return null;
  const wantBold = /bold/i.test(pattern);
  if (!/CJK SC/i.test(family)) return file;

  fontListCache ??= run(magick[0], [...magick.slice(1), '-list', 'font'], { allowFail: true }).stdout || '';
  const entries = fontListCache.split(/\n\s*Font: /).map((block) => ({
    name: block.split('\n')[0].replace(/^\s*Font: /, '').trim(),
    family: /family: (.*)/.exec(block)?.[1]?.trim(),
    glyphs: /glyphs: (.*)/.exec(block)?.[1]?.trim(),
  }));
  const match = entries.find(
    (e) => e.family === 'Noto Sans CJK SC' && e.glyphs === file && /-Bold$/.test(e.name) === wantBold,
  );
  return match ? match.name : file;
}

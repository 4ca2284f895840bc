// Slide and tile pictures drawn with ImageMagick. Layout is computed here (not by ImageMagick's
// caption:) so we can shrink text until it fits and know it never runs off the frame.
import { run } from './tools.js';
import { wrapText, textWidthEm } from './text-wrap.js';

export const SLIDE_W = 1280;
export const SLIDE_H = 720;
const MARGIN = 80;
const NAVY = '#0f1f3a';
const RED = '#b3261e';
const FOOTER_RULE = '#2a3b5c';
const FOOTER_COLOR = '#9fb0cc';
const LINE_HEIGHT = 1.38;
const FOOTER_TOP = SLIDE_H - 62;
const MIN_SCALE = 0.5;

// Noto CJK draws glyphs well inside its line box; these place a bullet mark level with the text.
const MARK_OFFSET_EM = 0.72;

/** ImageMagick expands % and \ escapes (and @file) in -annotate text; the slide text must stay literal. */
function literal(text) {
  const t = text.replace(/\\/g, '\\\\').replace(/%/g, '%%');
  return t.startsWith('@') ? `\\${t}` : t;
}

function textOp({ text, x, y, size, font, color, gravity = 'NorthWest' }) {
  return ['-gravity', gravity, '-font', font, '-pointsize', String(Math.round(size)), '-fill', color,
    '-annotate', `+${Math.round(x)}+${Math.round(y)}`, literal(text)];
}

/** Settings that keep PNG/JPEG/WebP output byte-identical between runs. */
const STABLE_OUTPUT = ['-strip', '-define', 'png:exclude-chunks=date,time'];

function draw(ctx, base, ops, outPath, outputOpts = []) {
  run(ctx.magick[0], [...ctx.magick.slice(1), ...base, ...ops, ...STABLE_OUTPUT, ...outputOpts, outPath]);
}

/**
 * A block is one piece of text with its style; size is the unscaled pointsize.
 * @typedef {{ text: string, size: number, bold?: boolean, color: string }} Block
 */

function layoutBlocks(blocks, scale, widthPx) {
  return blocks
    .filter((b) => b.text && b.text.trim())
    .map((b) => {
      const size = b.size * scale;
      const lines = wrapText(b.text.trim(), widthPx / size);
      return { ...b, size, lines, height: lines.length * size * LINE_HEIGHT };
    });
}

/**
 * Draws a 1280×720 slide: a red band holding the title blocks, bullet items below, a footer.
 * Everything is scaled down together until it fits above the footer.
 * @param {{ band: Block[], items: Block[][], footer: string, page?: string }} slide
 * @param {string} outPath
 * @param {{ magick: string[], fonts: { bold: string, regular: string } }} ctx
 */
export function renderSlide(slide, outPath, ctx) {
  const indent = 40;
  const bandPadTop = 40;
  const bandPadBottom = 30;
  const bodyGap = 44;
  const itemGap = 26;

  let plan = null;
  for (let scale = 1; scale >= MIN_SCALE - 1e-9; scale -= 0.05) {
    const band = layoutBlocks(slide.band, scale, SLIDE_W - 2 * MARGIN);
    const items = slide.items.map((blocks) => layoutBlocks(blocks, scale, SLIDE_W - 2 * MARGIN - indent));
    const bandH = bandPadTop + band.reduce((h, b) => h + b.height, 0) + bandPadBottom;
    const bodyH = items.reduce((h, it) => h + it.reduce((s, b) => s + b.height, 0) + itemGap * scale, 0);
    if (bandH <= SLIDE_H * 0.45 && bandH + bodyGap * scale + bodyH <= FOOTER_TOP - 16) {
      plan = { band, items, bandH, scale };
      break;
    }
  }
  if (!plan) throw new Error(`slide text does not fit even at ${MIN_SCALE * 100}% size: "${slide.band[0]?.text}"`);

  const ops = [];
  ops.push('-fill', RED, '-draw', `rectangle 0,0 ${SLIDE_W},${Math.round(plan.bandH)}`);
  let y = bandPadTop;
  for (const b of plan.band) {
    for (const line of b.lines) {
      ops.push(...textOp({ text: line, x: MARGIN, y, size: b.size, font: b.bold ? ctx.fonts.bold : ctx.fonts.regular, color: b.color }));
      y += b.size * LINE_HEIGHT;
    }
  }

  y = plan.bandH + bodyGap * plan.scale;
  for (const item of plan.items) {
    if (!item.length) continue;
    const first = item[0];
    const markSize = Math.max(8, Math.round(first.size * 0.28));
    const markTop = Math.round(y + first.size * MARK_OFFSET_EM - markSize / 2);
    ops.push('-fill', RED, '-draw', `rectangle ${MARGIN},${markTop} ${MARGIN + markSize},${markTop + markSize}`);
    for (const b of item) {
      for (const line of b.lines) {
        ops.push(...textOp({ text: line, x: MARGIN + indent, y, size: b.size, font: b.bold ? ctx.fonts.bold : ctx.fonts.regular, color: b.color }));
        y += b.size * LINE_HEIGHT;
      }
    }
    y += itemGap * plan.scale;
  }

  ops.push('-fill', FOOTER_RULE, '-draw', `rectangle ${MARGIN},${FOOTER_TOP} ${SLIDE_W - MARGIN},${FOOTER_TOP + 1}`);
  ops.push(...textOp({ text: slide.footer, x: MARGIN, y: FOOTER_TOP + 14, size: 20, font: ctx.fonts.regular, color: FOOTER_COLOR }));
  if (slide.page) {
    ops.push(...textOp({ text: slide.page, x: MARGIN, y: FOOTER_TOP + 14, size: 20, font: ctx.fonts.regular, color: FOOTER_COLOR, gravity: 'NorthEast' }));
  }
  draw(ctx, ['-size', `${SLIDE_W}x${SLIDE_H}`, `xc:${NAVY}`], ops, outPath);
}

/** Relative luminance (WCAG) of a #rrggbb colour; other colour syntaxes count as dark. */
function luminance(color) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return 0;
  const [r, g, b] = m.slice(1).map((hex) => {
    const c = parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The largest pointsize ≤ size at which the text fits on one line of widthPx. */
function fitOneLine(text, size, widthPx) {
  const em = textWidthEm(text);
  return em ? Math.min(size, widthPx / em) : size;
}

/**
 * An 800×500 tile: a panel in the image's colour, the icon mark large, both titles below in white.
 * @param {{ icon?: string, color: string, titles: string[], width: number, height: number }} tile
 */
export function renderTile(tile, outPath, ctx, outputOpts) {
  const { width: w, height: h } = tile;
  const pad = Math.round(w * 0.06);
  const ops = [];
  const textW = w - 2 * pad;

  const titleSizes = [Math.round(h * 0.08), Math.round(h * 0.048)];
  let titleBlocks = [];
  let titlesH = 0;
  for (let scale = 1; scale >= MIN_SCALE - 1e-9; scale -= 0.05) {
    titleBlocks = tile.titles.map((text, i) => {
      const size = (titleSizes[i] ?? titleSizes[titleSizes.length - 1]) * scale;
      const lines = wrapText(text, textW / size);
      return { lines, size, bold: i === 0, height: lines.length * size * LINE_HEIGHT };
    });
    titlesH = titleBlocks.reduce((s, b) => s + b.height, 0);
    if (titlesH <= h * 0.4) break;
  }

  const stripTop = Math.round(h - titlesH - pad * 1.2);
  // A translucent dark strip keeps white titles readable; pale panel colours need a darker one.
  const stripAlpha = luminance(tile.color) > 0.45 ? 0.5 : 0.22;
  ops.push('-fill', `rgba(0,0,0,${stripAlpha})`, '-draw', `rectangle 0,${stripTop} ${w},${h}`);

  if (tile.icon) {
    const iconArea = stripTop - pad;
    const size = fitOneLine(tile.icon, iconArea * 0.62, textW * 0.9);
    // The CJK line box is about 1.45 em tall with the glyphs sitting high in it.
    const y = pad / 2 + (iconArea - size * 1.45) / 2;
    ops.push(...textOp({ text: tile.icon, x: 0, y, size, font: ctx.fonts.bold, color: 'white', gravity: 'North' }));
  }

  let y = stripTop + pad * 0.55;
  for (const b of titleBlocks) {
    for (const line of b.lines) {
      ops.push(...textOp({ text: line, x: 0, y, size: b.size, font: b.bold ? ctx.fonts.bold : ctx.fonts.regular, color: 'white', gravity: 'North' }));
      y += b.size * LINE_HEIGHT;
    }
  }
  draw(ctx, ['-size', `${w}x${h}`, `xc:${tile.color}`], ops, outPath, outputOpts);
}

/** A round badge with the icon mark, transparent outside the circle (used for the pack logo). */
export function renderLogo(logo, outPath, ctx, outputOpts) {
  const s = logo.width;
  const r = s / 2 - 2;
  const mark = logo.icon || [...(logo.titles[0] || '?')][0];
  const size = fitOneLine(mark, s * 0.5, s * 0.66);
  const ops = [
    '-fill', logo.color, '-draw', `circle ${s / 2},${s / 2} ${s / 2},${s / 2 - r}`,
    '-fill', 'none', '-stroke', 'rgba(255,255,255,0.85)', '-strokewidth', String(Math.max(2, Math.round(s / 64))),
    '-draw', `circle ${s / 2},${s / 2} ${s / 2},${s / 2 - r + s * 0.06}`, '-stroke', 'none',
    ...textOp({ text: mark, x: 0, y: (s - size * 1.45) / 2, size, font: ctx.fonts.bold, color: 'white', gravity: 'North' }),
  ];
  draw(ctx, ['-size', `${s}x${s}`, 'xc:none'], ops, outPath, outputOpts);
}

/** Re-encodes a rendered slide as the JPEG poster. */
export function toJpeg(srcPng, outPath, ctx, quality = 80) {
  run(ctx.magick[0], [...ctx.magick.slice(1), srcPng, '-strip', '-sampling-factor', '4:2:0', '-quality', String(quality), outPath]);
}

/**
 * The report's charts as inline SVG strings: drawn here, offline, with no script and no font files, so
 * the HTML prints the same everywhere. Every chart has a title and a description for screen readers,
 * prints its numbers as text (no hover-only values), and tells categories apart by pattern and label,
 * never by colour alone.
 */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID = '#d9dee3';
const BAR = '#2f5d8a';
const ACCENT = '#b3261e';

let chartCounter = 0;

interface Frame {
  width: number;
  height: number;
  title: string;
  desc: string;
}

/** The <svg> element with its accessible name and description, and the shared hatch pattern. */
function frame({ width, height, title, desc }: Frame, body: string): string {
  const id = `chart-${(chartCounter += 1)}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-labelledby="${id}-t ${id}-d" font-size="11" fill="${INK}">` +
    `<title id="${id}-t">${escapeXml(title)}</title><desc id="${id}-d">${escapeXml(desc)}</desc>` +
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${ACCENT}" stroke-width="2.5"/></pattern></defs>` +
    body.replaceAll('url(#hatch)', `url(#${id}-hatch)`) +
    '</svg>'
  );
}

const text = (x: number, y: number, content: string, attrs = ''): string =>
  `<text x="${r(x)}" y="${r(y)}" ${attrs}>${escapeXml(content)}</text>`;
const r = (n: number) => Math.round(n * 10) / 10;

/** A "nice" axis maximum and step: 1, 2 or 5 times a power of ten. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return { max: Math.ceil(max / step) * step, step };
}

export interface ColumnChartOptions extends Omit<Frame, 'height' | 'width'> {
  /** `tick` is printed under the axis (thinned), `label` names the column in the busiest-column note. */
  points: { tick: string; label: string; value: number }[];
  width?: number;
  height?: number;
  /** How to print axis numbers. */
  format?: (n: number) => string;
}

/** Columns over time (visits per day): every column drawn, labels thinned so they never overlap. */
export function columnChart(o: ColumnChartOptions): string {
  const width = o.width ?? 680;
  const height = o.height ?? 220;
  const fmt = o.format ?? ((n: number) => String(n));
  const left = 44;
  const bottom = 36;
  const top = 14;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const { max, step } = niceScale(Math.max(0, ...o.points.map((p) => p.value)));
  const n = Math.max(1, o.points.length);
  const slot = plotW / n;
  let body = '';
  for (let v = 0; v <= max; v += step) {
    const y = top + plotH - (v / max) * plotH;
    body += `<line x1="${left}" x2="${width - 8}" y1="${r(y)}" y2="${r(y)}" stroke="${GRID}"/>`;
    body += text(left - 4, y + 4, fmt(v), `text-anchor="end" fill="${MUTED}"`);
  }
  // A tick is printed where its text changes (a new month) and far enough from the last one to stay legible.
  let lastTickX = -Infinity;
  o.points.forEach((p, i) => {
    const h = (p.value / max) * plotH;
    const x = left + i * slot + slot * 0.12;
    body += `<rect x="${r(x)}" y="${r(top + plotH - h)}" width="${r(Math.max(0.6, slot * 0.76))}" height="${r(h)}" fill="${BAR}"/>`;
    const cx = left + i * slot + slot / 2;
    if ((i === 0 || o.points[i - 1]!.tick !== p.tick) && cx - lastTickX >= 50) {
      body += text(cx, height - bottom + 14, p.tick, `text-anchor="middle" fill="${MUTED}"`);
      lastTickX = cx;
    }
  });
  // Each column's value is printed when there is room; otherwise only the busiest column is labelled.
  if (slot >= 26) {
    o.points.forEach((p, i) => {
      const h = (p.value / max) * plotH;
      body += text(left + i * slot + slot / 2, top + plotH - h - 3, fmt(p.value), 'text-anchor="middle" font-size="10"');
    });
  } else if (o.points.length > 0) {
    const best = o.points.reduce((b, p, i) => (p.value > o.points[b]!.value ? i : b), 0);
    const p = o.points[best]!;
    body += text(left + best * slot + slot / 2, top + plotH - (p.value / max) * plotH - 3, `${p.label}: ${fmt(p.value)}`, `text-anchor="${best > n / 2 ? 'end' : 'start'}" font-size="10"`);
  }
  body += `<line x1="${left}" x2="${width - 8}" y1="${top + plotH}" y2="${top + plotH}" stroke="${INK}"/>`;
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

export interface HeatmapOptions extends Omit<Frame, 'height' | 'width'> {
  rows: string[];
  columns: string[];
  /** values[row][column] */
  values: number[][];
  width?: number;
}

/** A grid of counts, shaded by size and with the count written in each cell, so it reads in grey too. */
export function heatmap(o: HeatmapOptions): string {
  const width = o.width ?? 680;
  const left = 70;
  const top = 22;
  const cellW = (width - left - 4) / Math.max(1, o.columns.length);
  const cellH = 24;
  const height = top + cellH * o.rows.length + 4;
  const max = Math.max(1, ...o.values.flat());
  let body = '';
  o.columns.forEach((c, j) => (body += text(left + j * cellW + cellW / 2, top - 7, c, `text-anchor="middle" fill="${MUTED}"`)));
  o.rows.forEach((row, i) => {
    body += text(left - 6, top + i * cellH + cellH / 2 + 4, row, 'text-anchor="end"');
    o.columns.forEach((_, j) => {
      const v = o.values[i]?.[j] ?? 0;
      const share = v / max;
      // Light blue to dark blue; the text flips to white where the cell is dark.
      const shade = Math.round(245 - share * 190);
      const fill = v === 0 ? '#fff' : `rgb(${Math.round(shade * 0.8)},${Math.round(shade * 0.9)},${Math.min(255, shade + 20)})`;
      const x = left + j * cellW;
      const y = top + i * cellH;
      body += `<rect x="${r(x)}" y="${y}" width="${r(cellW - 1)}" height="${cellH - 1}" fill="${fill}" stroke="${GRID}" stroke-width="0.5"/>`;
      if (v > 0) body += text(x + cellW / 2, y + cellH / 2 + 4, String(v), `text-anchor="middle" font-size="${cellW < 30 ? 9 : 10}" fill="${share > 0.55 ? '#fff' : INK}"`);
    });
  });
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

export interface BoxStripOptions extends Omit<Frame, 'height' | 'width'> {
  /** p10, q1, median, q3, p90 in the same unit as the axis. */
  stats: { p10: number; q1: number; median: number; q3: number; p90: number };
  format: (n: number) => string;
  labels: { p10: string; q1: string; median: string; q3: string; p90: string };
  width?: number;
}

/** A horizontal box: whiskers from the 10th to the 90th percentile, box from quartile to quartile. */
export function boxStrip(o: BoxStripOptions): string {
  const width = o.width ?? 680;
  const height = 110;
  const left = 20;
  const right = width - 20;
  const { max, step } = niceScale(o.stats.p90 * 1.05, 6);
  const x = (v: number) => left + (v / max) * (right - left);
  const mid = 46;
  const s = o.stats;
  let body = '';
  for (let v = 0; v <= max; v += step) {
    body += `<line x1="${r(x(v))}" x2="${r(x(v))}" y1="22" y2="74" stroke="${GRID}"/>`;
    const anchor = v === 0 ? 'start' : v + step > max ? 'end' : 'middle';
    body += text(x(v), 90, o.format(v), `text-anchor="${anchor}" fill="${MUTED}"`);
  }
  body += `<line x1="${r(x(s.p10))}" x2="${r(x(s.p90))}" y1="${mid}" y2="${mid}" stroke="${INK}" stroke-width="1.5"/>`;
  for (const v of [s.p10, s.p90]) body += `<line x1="${r(x(v))}" x2="${r(x(v))}" y1="${mid - 8}" y2="${mid + 8}" stroke="${INK}" stroke-width="1.5"/>`;
  body += `<rect x="${r(x(s.q1))}" y="${mid - 14}" width="${r(Math.max(1, x(s.q3) - x(s.q1)))}" height="28" fill="#dbe7f3" stroke="${BAR}" stroke-width="1.5"/>`;
  body += `<line x1="${r(x(s.median))}" x2="${r(x(s.median))}" y1="${mid - 14}" y2="${mid + 14}" stroke="${ACCENT}" stroke-width="3"/>`;
  body += text(x(s.median), 16, `${o.labels.median} ${o.format(s.median)}`, `text-anchor="middle" font-weight="bold" fill="${ACCENT}"`);
  body += text(x(s.q1) - 4, mid + 26, `${o.labels.q1} ${o.format(s.q1)}`, 'text-anchor="end" font-size="10"');
  body += text(x(s.q3) + 4, mid + 26, `${o.labels.q3} ${o.format(s.q3)}`, 'text-anchor="start" font-size="10"');
  body += text(x(s.p10), 106, `${o.labels.p10} ${o.format(s.p10)}`, `text-anchor="start" font-size="9" fill="${MUTED}"`);
  body += text(x(s.p90), 106, `${o.labels.p90} ${o.format(s.p90)}`, `text-anchor="end" font-size="9" fill="${MUTED}"`);
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

export interface BarChartOptions extends Omit<Frame, 'height' | 'width'> {
  bars: { label: string; value: number; valueLabel: string; highlight?: boolean }[];
  /** The value a full-width bar stands for (1 for shares). */
  max?: number;
  width?: number;
  labelWidth?: number;
}

/** Horizontal bars with the label on the left and the value printed after each bar. */
export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 680;
  const labelW = o.labelWidth ?? 230;
  const barH = 18;
  const gap = 7;
  const valueW = 110;
  const height = o.bars.length * (barH + gap) + 6;
  const max = o.max ?? Math.max(1e-9, ...o.bars.map((b) => b.value));
  const plotW = width - labelW - valueW;
  let body = '';
  o.bars.forEach((b, i) => {
    const y = 3 + i * (barH + gap);
    const w = Math.max(0, (b.value / max) * plotW);
    body += text(labelW - 6, y + barH / 2 + 4, clip(b.label, labelW), 'text-anchor="end"');
    body += `<rect x="${labelW}" y="${y}" width="${r(plotW)}" height="${barH}" fill="#f2f4f6"/>`;
    body += `<rect x="${labelW}" y="${y}" width="${r(w)}" height="${barH}" fill="${b.highlight ? 'url(#hatch)' : BAR}" stroke="${b.highlight ? ACCENT : 'none'}"/>`;
    body += text(labelW + w + 5, y + barH / 2 + 4, b.valueLabel, 'font-weight="bold"');
  });
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

/** Shortens a label to what fits in `width` pixels (CJK characters are about twice as wide). */
function clip(label: string, width: number): string {
  const budget = width / 6.4;
  let used = 0;
  let out = '';
  for (const ch of label) {
    // CJK and typographic punctuation (“ ” — …) are set full-width by the CJK font.
    used += /[\u2000-\u206f\u2e80-\uffff]/.test(ch) ? 2 : 1;
    if (used > budget) return `${out}…`;
    out += ch;
  }
  return out;
}

export interface FunnelOptions extends Omit<Frame, 'height' | 'width'> {
  steps: { label: string; reached: number; left: number; caption: string }[];
  width?: number;
}

/**
 * Scenario funnel: one bar per node, as long as the plays that reached it; the hatched end of each bar
 * is the plays that stopped there, and the caption prints both numbers.
 */
export function funnel(o: FunnelOptions): string {
  const width = o.width ?? 680;
  const labelW = 220;
  const barH = 18;
  const gap = 8;
  const captionW = 170;
  const height = o.steps.length * (barH + gap) + 6;
  const max = Math.max(1, ...o.steps.map((s) => s.reached));
  const plotW = width - labelW - captionW;
  let body = '';
  o.steps.forEach((s, i) => {
    const y = 3 + i * (barH + gap);
    const total = (s.reached / max) * plotW;
    const left = (s.left / max) * plotW;
    body += text(labelW - 6, y + barH / 2 + 4, clip(s.label, labelW), 'text-anchor="end"');
    body += `<rect x="${labelW}" y="${y}" width="${r(Math.max(0, total - left))}" height="${barH}" fill="${BAR}"/>`;
    if (left > 0) body += `<rect x="${r(labelW + total - left)}" y="${y}" width="${r(left)}" height="${barH}" fill="url(#hatch)" stroke="${ACCENT}" stroke-width="0.8"/>`;
    body += text(labelW + total + 5, y + barH / 2 + 4, s.caption, 'font-size="10"');
  });
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

export interface SplitBarOptions extends Omit<Frame, 'height' | 'width'> {
  safe: { label: string; value: number };
  unsafe: { label: string; value: number };
  width?: number;
}

/** One bar split in two: safe endings solid, unsafe endings hatched, each with its count and share. */
export function splitBar(o: SplitBarOptions): string {
  const width = o.width ?? 680;
  const height = 50;
  const total = o.safe.value + o.unsafe.value;
  const plotW = width - 4;
  const safeW = total > 0 ? (o.safe.value / total) * plotW : 0;
  const pct = (v: number) => (total > 0 ? `${Math.round((v / total) * 100)}%` : '–');
  let body = `<rect x="2" y="4" width="${r(safeW)}" height="22" fill="${BAR}"/>`;
  body += `<rect x="${r(2 + safeW)}" y="4" width="${r(plotW - safeW)}" height="22" fill="url(#hatch)" stroke="${ACCENT}" stroke-width="0.8"/>`;
  body += text(4, 42, `■ ${o.safe.label}: ${o.safe.value} (${pct(o.safe.value)})`, `fill="${BAR}" font-weight="bold"`);
  body += text(width - 4, 42, `▨ ${o.unsafe.label}: ${o.unsafe.value} (${pct(o.unsafe.value)})`, `text-anchor="end" fill="${ACCENT}" font-weight="bold"`);
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

export interface LineChartOptions extends Omit<Frame, 'height' | 'width'> {
  /** Shares (0…1) at evenly spaced points. */
  values: number[];
  xLabels: string[];
  width?: number;
  height?: number;
}

/** The share of viewers still watching along a video, with each point's percentage printed. */
export function shareLine(o: LineChartOptions): string {
  const width = o.width ?? 330;
  const height = o.height ?? 150;
  const left = 34;
  const top = 16;
  const bottom = 22;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const n = Math.max(1, o.values.length);
  const x = (i: number) => left + ((i + 0.5) / n) * plotW;
  const y = (v: number) => top + plotH - v * plotH;
  let body = '';
  for (const v of [0, 0.5, 1]) {
    body += `<line x1="${left}" x2="${left + plotW}" y1="${r(y(v))}" y2="${r(y(v))}" stroke="${GRID}"/>`;
    body += text(left - 4, y(v) + 4, `${v * 100}%`, `text-anchor="end" fill="${MUTED}" font-size="9"`);
  }
  body += `<polyline fill="none" stroke="${BAR}" stroke-width="2" points="${o.values.map((v, i) => `${r(x(i))},${r(y(v))}`).join(' ')}"/>`;
  o.values.forEach((v, i) => {
    body += `<circle cx="${r(x(i))}" cy="${r(y(v))}" r="2.5" fill="${BAR}"/>`;
    if (i % 2 === 0 || i === n - 1) body += text(x(i), y(v) - 5, `${Math.round(v * 100)}`, 'text-anchor="middle" font-size="9"');
  });
  o.xLabels.forEach((label, i) => {
    const at = left + (i / Math.max(1, o.xLabels.length - 1)) * plotW;
    body += text(at, height - 6, label, `text-anchor="${i === 0 ? 'start' : i === o.xLabels.length - 1 ? 'end' : 'middle'}" fill="${MUTED}" font-size="9"`);
  });
  return frame({ width, height, title: o.title, desc: o.desc }, body);
}

import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackManifest } from '../../electron/common/pack-schema';
import { buildReport } from '../../electron/core/log/report/build-report';
import { findReportPack } from '../../electron/core/log/report/pack-names';
import { barChart, escapeXml, heatmap, niceScale, splitBar } from '../../electron/core/log/report/svg-charts';
import { BUNDLED_PACK } from '../helpers/paths';
import { loadBundledPack, writeSyntheticLog } from '../helpers/synthetic-log';
import { tempDir } from '../helpers/temp-dir';

const PACK_ID = 'cn.gov.fao.consular-protection';

function syntheticDataDir(visits = 300): { dir: string; db: string } {
  const dir = tempDir();
  const db = join(dir, 'visit-log.sqlite');
  const handle = new Database(db);
  writeSyntheticLog(handle, { visits, seed: 9, days: 6 });
  handle.close();
  return { dir, db };
}

function writePack(dir: string, edit: (m: PackManifest) => void): string {
  const manifest = structuredClone(loadBundledPack());
  edit(manifest);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(manifest));
  return dir;
}

describe('report HTML', () => {
  it('is self-contained, accessible and says that counts are visits, not people (en)', async () => {
    const { dir, db } = syntheticDataDir();
    const out = join(dir, 'report.html');
    const report = await buildReport({ dbFile: db, outFile: out, lang: 'en', bundledPackDir: BUNDLED_PACK, now: new Date('2026-03-10T08:00:00Z') });
    const html = readFileSync(out, 'utf8');
    expect(report.packOrigin).toBe('bundled');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('All counts are anonymous visits, not people');
    expect(html).toContain('Consular Protection for All');
    for (const heading of ['Visits over time', 'How long visits last', 'Videos: holding power', 'Scenarios: choices and endings', 'Quiz results', 'Data quality']) {
      expect(html).toContain(heading);
    }
    // No script, nothing fetched from outside: only in-page anchors.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(http/);
    // Every chart carries an accessible name and description.
    const charts = html.match(/<svg[^>]*>/g) ?? [];
    expect(charts.length).toBeGreaterThan(8);
    expect((html.match(/<title id="chart-/g) ?? []).length).toBe(charts.length);
    expect((html.match(/<desc id="chart-/g) ?? []).length).toBe(charts.length);
    expect(html).toContain('@page { size: A4');
  });

  it('words a clock jump recorded by the kiosk as the size of the step, in both languages', async () => {
    const { dir, db } = syntheticDataDir(20);
    const handle = new Database(db);
    // As clock-watch.ts records it: the wall clock moved 3 h 5 s while the monotonic clock moved 5 s.
    handle
      .prepare("INSERT INTO audit (at, actor, action, ok, detail) VALUES ('2026-03-03T10:00:00.000Z', 'system', 'clock.jump', 1, ?)")
      .run(JSON.stringify({ wallDeltaMs: -10_795_000, monotonicDeltaMs: 5_000 }));
    handle.close();
    for (const [lang, words] of [['en', 'clock moved back by'], ['zh-CN', '时钟回拨了']] as const) {
      const out = join(dir, `report-${lang}.html`);
      await buildReport({ dbFile: db, outFile: out, lang, bundledPackDir: BUNDLED_PACK });
      expect(readFileSync(out, 'utf8')).toContain(words);
    }
  });

  it('names the hardest question and its most chosen wrong answer with the pack text, in Chinese', async () => {
    const { dir, db } = syntheticDataDir();
    const out = join(dir, 'report.html');
    const report = await buildReport({ dbFile: db, outFile: out, lang: 'zh-CN', bundledPackDir: BUNDLED_PACK });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('不是人数');
    const quiz = loadBundledPack().activities.find((a) => a.type === 'quiz');
    if (quiz?.type !== 'quiz') throw new Error('the bundled pack has a quiz');
    const hardest = report.metrics.quizzes[0]!.questions[0]!;
    const question = quiz.questions.find((q) => q.id === hardest.questionId)!;
    const wrong = question.options.find((o) => o.id === hardest.topWrong!.chosen[0])!;
    expect(html).toContain(escapeXml(question.prompt['zh-CN']!));
    expect(html).toContain(escapeXml(wrong.text['zh-CN']!));
    expect(html).toContain(`最难的一题是“${escapeXml(question.prompt['zh-CN']!)}”`);
  });

  it('escapes pack text, which is untrusted', async () => {
    const { dir, db } = syntheticDataDir(80);
    const packDir = writePack(join(dir, 'evil-pack'), (m) => {
      m.title = { 'zh-CN': '<script>alert(1)</script>', en: '<script>alert(1)</script>' };
      for (const a of m.activities) a.title = { en: `<img src=x onerror=alert("${a.id}")>` };
    });
    const out = join(dir, 'report.html');
    const report = await buildReport({ dbFile: db, outFile: out, lang: 'en', packDir });
    expect(report.packOrigin).toBe('option');
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(&quot;safety-quiz&quot;)&gt;');
  });

  it('takes names from the installed pack next to the log, then the bundled pack, else shows ids', () => {
    const dir = tempDir();
    const db = join(dir, 'visit-log.sqlite');
    writePack(join(dir, 'packs', PACK_ID, '1.0.0'), (m) => (m.title = { en: 'Installed copy' }));
    const installed = findReportPack({ dbFile: db, packId: PACK_ID, packVersion: '1.0.0', bundledPackDir: BUNDLED_PACK });
    expect(installed.origin).toBe('installed');
    expect(installed.manifest?.title.en).toBe('Installed copy');
    expect(findReportPack({ dbFile: join(tempDir(), 'x.sqlite'), packId: PACK_ID, packVersion: '1.0.0', bundledPackDir: BUNDLED_PACK }).origin).toBe('bundled');
    expect(findReportPack({ dbFile: join(tempDir(), 'x.sqlite'), packId: 'other.pack', packVersion: '1.0.0', bundledPackDir: BUNDLED_PACK })).toEqual({ manifest: null, origin: 'none', dir: null });
  });

  it('reports an empty log with its cover and notes instead of failing', async () => {
    const dir = tempDir();
    const db = join(dir, 'visit-log.sqlite');
    const handle = new Database(db);
    writeSyntheticLog(handle, { visits: 0 });
    handle.close();
    const report = await buildReport({ dbFile: db, outFile: join(dir, 'r.html'), lang: 'en', bundledPackDir: BUNDLED_PACK });
    expect(report.metrics.totals.visits).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('The log holds no visits yet.');
  });
});

describe('report SVG charts', () => {
  it('picks round axis steps', () => {
    expect(niceScale(237)).toEqual({ max: 300, step: 100 });
    expect(niceScale(0.83, 5)).toEqual({ max: 1, step: 0.2 });
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
  });

  it('prints every value as text and escapes labels', () => {
    const svg = barChart({ title: 'A & B', desc: 'd', bars: [{ label: '<b>x</b>', value: 3, valueLabel: '30%' }, { label: 'y', value: 1, valueLabel: '10%', highlight: true }] });
    expect(svg).toContain('<title id="chart-');
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).toContain('>30%</text>');
    // The highlighted bar is hatched, not only coloured.
    expect(svg).toMatch(/fill="url\(#chart-\d+-hatch\)"/);
    const heat = heatmap({ title: 't', desc: 'd', rows: ['Mon'], columns: ['9', '10'], values: [[0, 42]] });
    expect(heat).toContain('>42</text>');
    const split = splitBar({ title: 't', desc: 'd', safe: { label: 'safe', value: 3 }, unsafe: { label: 'unsafe', value: 1 } });
    expect(split).toContain('safe: 3 (75%)');
    expect(split).toContain('unsafe: 1 (25%)');
  });
});

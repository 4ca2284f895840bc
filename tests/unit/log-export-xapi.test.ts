import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClientEvent } from '../../electron/common/events';
import { exportLogs } from '../../electron/core/log/export/export-logs';
import { isoDuration, objectIri, playedSegments } from '../../electron/core/log/export/xapi-statement';
import { tempDir } from '../helpers/temp-dir';
import { tempKiosk } from '../helpers/temp-kiosk';
import { EXPORT_NOW } from './log-export-fixture';

// The xAPI 1.0.3 statement shapes this export produces (https://github.com/adlnet/xAPI-Spec), strictly:
// an unexpected property fails the test just as a missing one does.
const iri = z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
const languageMap = z.record(languageTag, z.string());
const extensions = z.record(iri, z.json());
const activity = z.strictObject({
  objectType: z.literal('Activity').optional(),
  id: iri,
  definition: z.strictObject({ type: iri.optional(), name: languageMap.optional(), description: languageMap.optional() }).optional(),
});
const score = z
  .strictObject({ scaled: z.number().min(-1).max(1).optional(), raw: z.number().optional(), min: z.number().optional(), max: z.number().optional() })
  .refine((s) => s.raw === undefined || ((s.min ?? -Infinity) <= s.raw && s.raw <= (s.max ?? Infinity)), 'raw within min..max');
const statementSchema = z.strictObject({
  id: uuid,
  version: z.literal('1.0.3'),
  timestamp: z.iso.datetime({ offset: true }),
  actor: z.strictObject({ objectType: z.literal('Agent'), account: z.strictObject({ homePage: iri, name: z.string().min(1) }) }),
  verb: z.strictObject({ id: iri, display: languageMap }),
  object: activity,
  result: z
    .strictObject({
      score: score.optional(),
      success: z.boolean().optional(),
      completion: z.boolean().optional(),
      response: z.string().optional(),
      duration: z.string().regex(/^PT\d+(\.\d{1,2})?S$/).optional(),
      extensions: extensions.optional(),
    })
    .optional(),
  context: z.strictObject({
    registration: uuid,
    platform: z.string(),
    language: languageTag,
    contextActivities: z.strictObject({ parent: z.array(activity).optional(), grouping: z.array(activity).optional() }).optional(),
    extensions,
  }),
});
type Statement = z.infer<typeof statementSchema>;

const ADL = 'http://adlnet.gov/expapi/verbs/';
const VIDEO = 'https://w3id.org/xapi/video/';

const at = { exhibitId: 'hall', activityId: 'film' };
const EVENTS: ClientEvent[] = [
  { type: 'locale.change', tMs: 100, data: { from: 'zh-CN', to: 'en' } },
  { type: 'exhibit.open', tMs: 200, exhibitId: 'hall', data: {} },
  { type: 'activity.open', tMs: 300, ...at, data: { activityType: 'video' } },
  { type: 'video.play', tMs: 400, ...at, itemId: 'chapter-1', data: { position: 0 } },
  { type: 'video.pause', tMs: 500, ...at, data: { position: 5.2 } },
  { type: 'video.seek', tMs: 600, ...at, data: { from: 5.2, to: 10 } },
  { type: 'video.ended', tMs: 700, ...at, data: { duration: 20, segments: [[0, 5.2], [10, 20]] } },
  { type: 'activity.close', tMs: 800, ...at, data: { reason: 'completed', ms: 500 } },
  { type: 'scenario.choice', tMs: 900, exhibitId: 'hall', activityId: 'lost passport', itemId: 'start', data: { choice: 'call-embassy', next: 'n2', safe: true } },
  { type: 'scenario.end', tMs: 1000, exhibitId: 'hall', activityId: 'lost passport', data: { ending: 'home-safe', outcome: 'safe', path: ['start', 'n2'] } },
  { type: 'quiz.start', tMs: 1100, exhibitId: 'hall', activityId: 'quiz', data: { questions: ['q1', 'q2'] } },
  { type: 'quiz.answer', tMs: 1200, exhibitId: 'hall', activityId: 'quiz', itemId: 'q1', data: { chosen: ['a', 'c'], correct: true, ms: 3_900 } },
  { type: 'quiz.finish', tMs: 1300, exhibitId: 'hall', activityId: 'quiz', data: { score: 1, total: 2, percent: 50, passed: false } },
  { type: 'article.qr.show', tMs: 1400, exhibitId: 'hall', activityId: 'read-more', data: { url: 'https://example.org/a' } },
];

async function exportStatements() {
  const kiosk = await tempKiosk();
  const first = await kiosk.service.startVisit({ locale: 'zh-CN' });
  kiosk.clock.advance(2_000);
  await kiosk.service.logEvents({ visitId: first.visitId, events: EVENTS });
  kiosk.clock.advance(3_000);
  await kiosk.service.endVisit({ visitId: first.visitId, reason: 'completed' });
  const second = await kiosk.service.startVisit({ locale: 'en' });
  await kiosk.service.logEvents({ visitId: second.visitId, events: [{ type: 'quiz.finish', tMs: 50, exhibitId: 'hall', activityId: 'quiz', data: { score: 2, total: 2, percent: 100, passed: true } }] });
  await kiosk.service.endVisit({ visitId: second.visitId, reason: 'idle' });
  const out = tempDir();
  const result = await exportLogs(kiosk.db, { format: 'xapi', range: { kind: 'all' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1.2.3' });
  const kioskId = (kiosk.db.prepare('SELECT kiosk_id FROM kiosk').get() as { kiosk_id: string }).kiosk_id;
  const rows = kiosk.db.prepare('SELECT seq, event_id, visit_id, at, type FROM event ORDER BY seq').all() as { seq: number; event_id: string; visit_id: string; at: string; type: string }[];
  const exports = kiosk.db.prepare('SELECT format, target, rows FROM export').all();
  const packId = (kiosk.db.prepare('SELECT pack_id FROM visit LIMIT 1').get() as { pack_id: string }).pack_id;
  kiosk.close();
  const text = readFileSync(result.files[0]!.path, 'utf8');
  return { result, text, kioskId, rows, exports, packId, out, first, second };
}

describe('xAPI export', () => {
  it('writes one valid xAPI 1.0.3 statement per event, with the ADL and video-profile verbs', async () => {
    const { result, text, kioskId, rows, exports, packId, out, first, second } = await exportStatements();
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ path: join(out, `xapi_seq1-${rows.length}_2026-11-30_2026-11-30.jsonl`), rows: rows.length });
    expect(exports).toEqual([{ format: 'xapi', target: 'statements', rows: rows.length }]);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    const statements: Statement[] = lines.map((line) => statementSchema.parse(JSON.parse(line)));

    statements.forEach((s, i) => {
      const row = rows[i]!;
      expect(s.id).toBe(row.event_id);
      expect(s.timestamp).toBe(row.at);
      expect(s.actor.account).toEqual({ homePage: `urn:kiosk:${kioskId}`, name: row.visit_id });
      expect(s.context.registration).toBe(row.visit_id);
      expect(s.context.extensions['urn:kiosk:xapi:seq']).toBe(row.seq);
    });
    const byType = new Map(rows.map((r, i) => [`${r.type}@${r.visit_id}`, statements[i]!]));
    const of = (type: string, visitId = first.visitId) => byType.get(`${type}@${visitId}`)!;
    expect(Object.fromEntries(rows.filter((r) => r.visit_id === first.visitId).map((r) => [r.type, of(r.type).verb.id]))).toEqual({
      'visit.start': `${ADL}launched`,
      'locale.change': `${ADL}interacted`,
      'exhibit.open': `${ADL}experienced`,
      'activity.open': `${ADL}experienced`,
      'video.play': `${VIDEO}verbs/played`,
      'video.pause': `${VIDEO}verbs/paused`,
      'video.seek': `${VIDEO}verbs/seeked`,
      'video.ended': `${ADL}completed`,
      'activity.close': `${ADL}exited`,
      'scenario.choice': `${ADL}answered`,
      'scenario.end': `${ADL}completed`,
      'quiz.start': `${ADL}attempted`,
      'quiz.answer': `${ADL}answered`,
      'quiz.finish': `${ADL}failed`,
      'article.qr.show': `${ADL}interacted`,
      'visit.end': `${ADL}terminated`,
    });
    expect(of('quiz.finish', second.visitId).verb.id).toBe(`${ADL}passed`);
    expect(of('visit.end', second.visitId).verb.id).toBe(`${ADL}abandoned`);

    expect(of('visit.start').object).toEqual({ objectType: 'Activity', id: `urn:kiosk-pack:${packId}`, definition: { type: 'http://adlnet.gov/expapi/activities/course' } });
    expect(of('visit.end').result).toMatchObject({ completion: true, duration: 'PT5S' });
    expect(of('video.play').object.id).toBe(`urn:kiosk-pack:${packId}/hall/film`);
    expect(of('video.play').result?.extensions).toEqual({ [`${VIDEO}extensions/time`]: 0 });
    expect(of('video.seek').result?.extensions).toEqual({ [`${VIDEO}extensions/time-from`]: 5.2, [`${VIDEO}extensions/time-to`]: 10 });
    expect(of('video.ended').result).toEqual({
      completion: true,
      extensions: { [`${VIDEO}extensions/time`]: 20, [`${VIDEO}extensions/progress`]: 0.76, [`${VIDEO}extensions/played-segments`]: '0[.]5.2[,]10[.]20' },
    });
    expect(of('video.ended').context.extensions[`${VIDEO}extensions/session-id`]).toBe(first.visitId);
    expect(of('video.ended').context.contextActivities).toEqual({
      parent: [{ objectType: 'Activity', id: `urn:kiosk-pack:${packId}/hall` }],
      grouping: [{ objectType: 'Activity', id: `urn:kiosk-pack:${packId}` }],
    });
    expect(of('scenario.choice').object.id).toBe(`urn:kiosk-pack:${packId}/hall/lost%20passport/start`);
    expect(of('scenario.choice').result).toMatchObject({ response: 'call-embassy', success: true });
    expect(of('scenario.end').result).toMatchObject({ completion: true, success: true, response: 'home-safe' });
    expect(of('quiz.answer').object).toEqual({ objectType: 'Activity', id: `urn:kiosk-pack:${packId}/hall/quiz/q1`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction' } });
    expect(of('quiz.answer').result).toEqual({ response: 'a[,]c', duration: 'PT3.9S', success: true });
    expect(of('quiz.finish').result).toEqual({ success: false, completion: true, score: { scaled: 0.5, raw: 1, min: 0, max: 2 } });
    expect(of('quiz.finish').context.language).toBe('zh-CN');
    expect(of('quiz.finish', second.visitId).context.language).toBe('en');
  });

  it('builds IRIs, durations and played segments the way the profiles spell them', () => {
    expect(objectIri('pack', 'ex', null, null)).toBe('urn:kiosk-pack:pack/ex');
    expect(objectIri('pack', null, 'act', null)).toBe('urn:kiosk-pack:pack/-/act');
    expect(objectIri('p k', '领事', 'a/b', 'q?')).toBe('urn:kiosk-pack:p%20k/%E9%A2%86%E4%BA%8B/a%2Fb/q%3F');
    expect(isoDuration(3_900)).toBe('PT3.9S');
    expect(isoDuration(61_234)).toBe('PT61.23S');
    expect(playedSegments([[0, 5.2], [10.1234, 20]])).toBe('0[.]5.2[,]10.123[.]20');
    expect(playedSegments([])).toBe('');
  });

  it('writes an empty file and moves the xapi watermark only for itself', async () => {
    const kiosk = await tempKiosk();
    const out = tempDir();
    const empty = await exportLogs(kiosk.db, { format: 'xapi', range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1' });
    expect(empty).toMatchObject({ fromSeq: 1, toSeq: 0 });
    expect(empty.files[0]).toMatchObject({ rows: 0, bytes: 0 });
    const { visitId } = await kiosk.service.startVisit({ locale: 'en' });
    await kiosk.service.endVisit({ visitId, reason: 'home' });
    expect(await exportLogs(kiosk.db, { format: 'xapi', range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1' })).toMatchObject({ fromSeq: 1, toSeq: 2 });
    expect(await exportLogs(kiosk.db, { format: 'xapi', range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1' })).toMatchObject({ fromSeq: 3, toSeq: 2 });
    expect(await exportLogs(kiosk.db, { format: 'csv', range: { kind: 'since-last' }, lang: 'en', outDir: out, now: EXPORT_NOW, appVersion: '1' })).toMatchObject({ fromSeq: 1, toSeq: 2 });
    kiosk.close();
  });
});

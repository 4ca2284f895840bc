import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from '../../electron/core/log/event-chain';
import { ensureKioskIdentity } from '../../electron/core/log/kiosk-identity';
import { migrate } from '../../electron/core/log/migrations';
import { computeMetrics, type ReportMetrics, type ScenarioGraph } from '../../electron/core/log/report/metrics';
import { openReportSource } from '../../electron/core/log/report/report-source';
import { coveredSeconds, unionSegments, ViewingSegments } from '../../electron/core/log/report/segments';
import { tempDir } from '../helpers/temp-dir';
import { writeSyntheticFleet } from '../helpers/synthetic-log';

const clock = { now: () => Date.parse('2026-03-01T00:00:00Z'), monotonic: () => 0 };

interface HandEvent {
  type: string;
  activity?: string;
  item?: string;
  data?: unknown;
  /** Seconds after the visit began. */
  t?: number;
  /** Leave this many seq numbers out before the event (a gap). */
  skip?: number;
  /** Wall time override (a clock set back). */
  at?: string;
}

interface HandVisit {
  id: string;
  start: string;
  durationMs: number | null;
  reason: string | null;
  events: HandEvent[];
}

/**
 * A small log written by hand, whose every figure is worked out in the comments below. China time
 * (UTC+8): v1 and v2 on Monday 2 March, v3 and v4 on Tuesday 3 March, v5 on Thursday 5 March.
 */
const VISITS: HandVisit[] = [
  { id: 'v1', start: '2026-03-02T02:00:00.000Z', durationMs: 5_000, reason: 'idle', events: [] }, // Mon 10:00, a bounce
  {
    id: 'v2', start: '2026-03-02T03:30:00.000Z', durationMs: 120_000, reason: 'completed', // Mon 11:30
    events: [
      { type: 'activity.open', activity: 'intro-video', data: { activityType: 'video' } },
      { type: 'video.play', activity: 'intro-video', data: { position: 0 } },
      { type: 'video.seek', activity: 'intro-video', data: { from: 10, to: 30 } },
      { type: 'video.pause', activity: 'intro-video', data: { position: 40 } }, // watched [0,10] and [30,40]: 20 s of 100
      { type: 'activity.open', activity: 'safety-quiz', data: { activityType: 'quiz' } },
      { type: 'quiz.start', activity: 'safety-quiz', data: { questions: ['q1', 'q2'] } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q1', data: { chosen: ['a'], correct: true, ms: 4000 } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q2', data: { chosen: ['b'], correct: false, ms: 6000 } },
      { type: 'quiz.finish', activity: 'safety-quiz', data: { score: 1, total: 2, percent: 50, passed: false } },
    ],
  },
  {
    id: 'v3', start: '2026-03-03T06:15:00.000Z', durationMs: 60_000, reason: 'home', // Tue 14:15
    events: [
      { type: 'activity.open', activity: 'intro-video', data: { activityType: 'video' } },
      { type: 'video.play', activity: 'intro-video', data: { position: 0 } },
      { type: 'video.ended', activity: 'intro-video', data: { duration: 100, segments: [[0, 100]] } }, // all 100 s
      { type: 'activity.open', activity: 'lost', data: { activityType: 'scenario' } },
      { type: 'scenario.choice', activity: 'lost', item: 'n1', data: { choice: 'c1', next: 'n2', safe: true } },
      { type: 'scenario.choice', activity: 'lost', item: 'n2', data: { choice: 'c3', next: 'e-good', safe: true } },
      { type: 'scenario.end', activity: 'lost', item: 'e-good', data: { ending: 'e-good', outcome: 'safe', path: ['n1', 'n2'] } },
      { type: 'activity.open', activity: 'safety-quiz', data: { activityType: 'quiz' }, skip: 2 }, // seq gap of 2
      { type: 'quiz.start', activity: 'safety-quiz', data: { questions: ['q1', 'q2'] } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q1', data: { chosen: ['b'], correct: false, ms: 5000 } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q2', data: { chosen: ['c'], correct: false, ms: 3000 } },
      { type: 'quiz.finish', activity: 'safety-quiz', data: { score: 0, total: 2, percent: 0, passed: false } },
    ],
  },
  {
    id: 'v4', start: '2026-03-03T15:59:00.000Z', durationMs: 300_000, reason: 'recovered', // Tue 23:59
    events: [
      { type: 'activity.open', activity: 'lost', data: { activityType: 'scenario' } },
      { type: 'scenario.choice', activity: 'lost', item: 'n1', data: { choice: 'c2', next: 'e-bad', safe: false } },
      { type: 'scenario.end', activity: 'lost', item: 'e-bad', data: { ending: 'e-bad', outcome: 'unsafe', path: ['n1'] } },
      { type: 'quiz.start', activity: 'safety-quiz', data: { questions: ['q1', 'q2'] } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q1', data: { chosen: ['a'], correct: true, ms: 2000 } },
      // The clock was set back just before this answer.
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q2', data: { chosen: ['a'], correct: true, ms: 2000 }, at: '2026-03-03T10:00:00.000Z' },
      { type: 'quiz.finish', activity: 'safety-quiz', data: { score: 2, total: 2, percent: 100, passed: true } },
    ],
  },
  {
    id: 'v5', start: '2026-03-05T01:00:00.000Z', durationMs: null, reason: null, // Thu 09:00, still open
    events: [
      { type: 'activity.open', activity: 'lost', data: { activityType: 'scenario' } }, // opened, left at n1
      { type: 'activity.open', activity: 'safety-quiz', data: { activityType: 'quiz' } },
      { type: 'quiz.start', activity: 'safety-quiz', data: { questions: ['q2', 'q1'] } },
      { type: 'quiz.answer', activity: 'safety-quiz', item: 'q2', data: { chosen: ['c'], correct: false, ms: 7000 } },
    ],
  },
];

const GRAPH: ScenarioGraph = { start: 'n1', nodes: [{ id: 'n1', next: ['n2', 'e-bad'] }, { id: 'n2', next: ['e-good', 'e-bad'] }] };

function writeHandLog(file: string): void {
  const db = new Database(file);
  migrate(db);
  ensureKioskIdentity(db, clock);
  const insertVisit = db.prepare('INSERT INTO visit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertEvent = db.prepare('INSERT INTO event (seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let seq = 0;
  let head = GENESIS_HASH;
  for (const v of VISITS) {
    const start = Date.parse(v.start);
    insertVisit.run(v.id, 'test.pack', '1.0.0', 'zh-CN', v.start, 480, v.durationMs === null ? null : new Date(start + v.durationMs).toISOString(), v.reason, v.durationMs);
    const events: HandEvent[] = [{ type: 'visit.start', data: { locale: 'zh-CN' } }, ...v.events];
    events.forEach((e, i) => {
      seq += 1 + (e.skip ?? 0);
      const row = {
        seq, event_id: `${v.id}-${i}`, visit_id: v.id, at: e.at ?? new Date(start + i * 1000).toISOString(), t_ms: i * 1000, type: e.type,
        exhibit_id: null, activity_id: e.activity ?? null, item_id: e.item ?? null, data: JSON.stringify(e.data ?? {}),
      };
      head = chainHash(head, row);
      insertEvent.run(row.seq, row.event_id, row.visit_id, row.at, row.t_ms, row.type, row.exhibit_id, row.activity_id, row.item_id, row.data, head);
    });
  }
  db.prepare("INSERT INTO audit (at, actor, action, ok, detail) VALUES ('2026-03-03T10:00:00.000Z', 'system', 'clock.jump', 1, '{\"wallDeltaMs\":-21535000,\"monotonicDeltaMs\":5000}')").run();
  db.close();
}

function handMetrics(): { metrics: ReportMetrics; file: string } {
  const file = join(tempDir(), 'visit-log.sqlite');
  writeHandLog(file);
  const source = openReportSource(file);
  try {
    return { metrics: computeMetrics(source.db, { kind: source.kind, packId: 'test.pack', scenarioGraphs: new Map([['lost', GRAPH]]) }), file };
  } finally {
    source.close();
  }
}

describe('report metrics on a hand-made log', () => {
  it('counts visits per local day (quiet days as zero) and by weekday and hour', () => {
    const { metrics } = handMetrics();
    expect(metrics.kind).toBe('kiosk');
    expect(metrics.totals).toMatchObject({ visits: 5, openVisits: 1 });
    expect(metrics.range).toEqual({ from: '2026-03-02', to: '2026-03-05' });
    expect(metrics.utcOffsetsMin).toEqual([480]);
    expect(metrics.perDay).toEqual([
      { day: '2026-03-02', visits: 2 },
      { day: '2026-03-03', visits: 2 },
      { day: '2026-03-04', visits: 0 },
      { day: '2026-03-05', visits: 1 },
    ]);
    expect(metrics.heatmap).toEqual([
      { weekday: 1, hour: 10, visits: 1 },
      { weekday: 1, hour: 11, visits: 1 },
      { weekday: 2, hour: 14, visits: 1 },
      { weekday: 2, hour: 23, visits: 1 },
      { weekday: 4, hour: 9, visits: 1 },
    ]);
  });

  it('gives duration quartiles of ended visits and the bounce rate', () => {
    const { duration } = handMetrics().metrics;
    // Durations 5 s, 60 s, 120 s, 300 s (the open visit has none).
    expect(duration.measured).toBe(4);
    expect(duration.median).toBe(90_000);
    expect(duration.q1).toBe(46_250); // 5 000 + 0.75 × 55 000
    expect(duration.q3).toBe(165_000); // 120 000 + 0.25 × 180 000
    expect(duration.bounces).toBe(1);
    expect(duration.bounceRate).toBe(0.25);
    expect(duration.buckets[0]).toEqual({ upToMs: 10_000, visits: 1 });
    expect(duration.buckets.reduce((s, b) => s + b.visits, 0)).toBe(4);
  });

  it('gives the attraction rate per activity as the share of all visits that opened it', () => {
    const { activities, endReasons } = handMetrics().metrics;
    const rate = (id: string) => activities.find((a) => a.activityId === id)?.attraction;
    expect(rate('safety-quiz')).toBe(0.6); // v2, v3, v5 opened it (v4 started the quiz without an open event)
    expect(rate('lost')).toBe(0.6); // v3, v4, v5
    expect(rate('intro-video')).toBe(0.4); // v2, v3
    expect(endReasons).toEqual(expect.arrayContaining([{ reason: 'open', visits: 1 }, { reason: 'recovered', visits: 1 }]));
  });

  it('measures video holding power from the union of played segments', () => {
    const [video] = handMetrics().metrics.videos;
    expect(video).toMatchObject({ activityId: 'intro-video', viewings: 2, length: 100, lengthEstimated: false, completed: 1 });
    expect(video!.holding).toBeCloseTo((0.2 + 1) / 2);
    expect(video!.meanSecondsWatched).toBeCloseTo(60);
    // Tenths whose middle (5 s, 15 s, …) was watched: v2 watched 5 and 35; v3 all of them.
    expect(video!.curve).toEqual([1, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('follows scenario plays node by node, with drop-off and safe/unsafe endings', () => {
    const [scenario] = handMetrics().metrics.scenarios;
    expect(scenario).toMatchObject({ activityId: 'lost', opens: 3, safeEndings: 1, unsafeEndings: 1 });
    expect(scenario!.nodes.map(({ nodeId, depth, reached, chose, left, safeChoices }) => ({ nodeId, depth, reached, chose, left, safeChoices }))).toEqual([
      { nodeId: 'n1', depth: 0, reached: 3, chose: 2, left: 1, safeChoices: 1 },
      { nodeId: 'n2', depth: 1, reached: 1, chose: 1, left: 0, safeChoices: 1 },
    ]);
    expect(scenario!.endings).toEqual(expect.arrayContaining([{ endingId: 'e-good', outcome: 'safe', count: 1 }, { endingId: 'e-bad', outcome: 'unsafe', count: 1 }]));
  });

  it('gives quiz completion, score, pass rate, and per question the correct rate and most chosen wrong answer', () => {
    const [quiz] = handMetrics().metrics.quizzes;
    expect(quiz).toMatchObject({ activityId: 'safety-quiz', starts: 4, finishes: 3, completion: 0.75, meanPercent: 50, passed: 1 });
    expect(quiz!.passRate).toBeCloseTo(1 / 3);
    expect(quiz!.scores).toEqual([{ percent: 0, count: 1 }, { percent: 50, count: 1 }, { percent: 100, count: 1 }]);
    // Hardest first: q2 was right once in four answers; its wrong answers were b once and c twice.
    expect(quiz!.questions).toEqual([
      { questionId: 'q2', answers: 4, correct: 1, correctRate: 0.25, meanMs: 4500, topWrong: { chosen: ['c'], count: 2 } },
      { questionId: 'q1', answers: 3, correct: 2, correctRate: 2 / 3, meanMs: (4000 + 5000 + 2000) / 3, topWrong: { chosen: ['b'], count: 1 } },
    ]);
  });

  it('notes seq gaps, clock jumps, clocks set back and crash recoveries', () => {
    const { quality, kiosks, packVersions } = handMetrics().metrics;
    const kioskId = kiosks[0]!.kioskId;
    expect(quality.seq).toEqual([{ kioskId, firstSeq: 1, lastSeq: 39, events: 37, missing: 2, gaps: [{ after: 19, before: 22 }] }]);
    expect(quality.clockJumpCount).toBe(1);
    expect(quality.clockJumps[0]).toMatchObject({ kioskId, detail: '{"wallDeltaMs":-21535000,"monotonicDeltaMs":5000}' });
    expect(quality.timeBackwards).toEqual([{ kioskId, count: 1 }]);
    expect(quality.recovered).toEqual([{ kioskId, visits: 1 }]);
    expect(kiosks[0]).toMatchObject({ visits: 5, events: 37, bounceRate: 0.25 });
    expect(packVersions).toEqual([{ packId: 'test.pack', packVersion: '1.0.0', visits: 5, from: '2026-03-02', to: '2026-03-05' }]);
  });

  it('opens the log read-only and leaves the file byte for byte as it was', () => {
    const file = join(tempDir(), 'visit-log.sqlite');
    writeHandLog(file);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const source = openReportSource(file);
    computeMetrics(source.db, { kind: source.kind, packId: null });
    expect(() => source.db.prepare('DELETE FROM audit').run()).toThrow(/readonly/);
    source.close();
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });
});

describe('report segments', () => {
  it('merges overlapping and adjacent stretches and clips to the length', () => {
    expect(unionSegments([[30, 40], [0, 10], [5, 12], [12.2, 15]])).toEqual([[0, 15], [30, 40]]);
    expect(coveredSeconds(unionSegments([[0, 10], [95, 120]]), 100)).toBe(15);
  });

  it('rebuilds a viewing from play, seek, pause and ended events', () => {
    const v = new ViewingSegments();
    v.play(0);
    v.seek(10, 50);
    v.pause(60);
    v.play(60);
    v.end(80, [[0, 10], [50, 80]]);
    expect(v.union()).toEqual([[0, 10], [50, 80]]);
    expect(v.length).toBe(80);
  });
});

describe('report metrics on a fleet database', () => {
  it('reads several kiosks through the same views and reports each one and its gaps', () => {
    const file = join(tempDir(), 'fleet.sqlite');
    const db = new Database(file);
    const written = writeSyntheticFleet(db, [
      { label: 'A', location: 'Hall', visits: 120, days: 3, seed: 1 },
      { label: 'B', location: 'School', visits: 80, days: 3, seed: 2, missingSeqs: [100, 109] },
      { label: 'C', location: 'Lobby', visits: 40, days: 3, seed: 3 },
    ]);
    db.close();
    const source = openReportSource(file);
    try {
      expect(source.kind).toBe('fleet');
      const m = computeMetrics(source.db, { kind: source.kind, packId: 'cn.gov.fao.consular-protection' });
      expect(m.totals).toMatchObject({ visits: 240, events: written.events });
      expect(m.kiosks.map((k) => [k.label, k.visits])).toEqual([['A', 120], ['B', 80], ['C', 40]]);
      const b = m.quality.seq.find((s) => s.kioskId === m.kiosks[1]!.kioskId)!;
      expect(b).toMatchObject({ missing: 10, gaps: [{ after: 99, before: 110 }] });
      expect(m.quality.seq.filter((s) => s.missing > 0)).toHaveLength(1);
      expect(m.kiosks.reduce((s, k) => s + k.events, 0)).toBe(written.events);
    } finally {
      source.close();
    }
  });
});

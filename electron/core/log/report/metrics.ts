import type { Database } from 'better-sqlite3';
import { coveredSeconds, ViewingSegments, type Segment } from './segments';

/**
 * Every figure of the report, computed from the r_* views (report-source.ts) with aggregates in SQL and
 * small post-processing here: nothing loads the event table into memory. Ids only; names come from the
 * pack when the report is drawn, so this is also what `--json` prints.
 */
export interface ReportMetrics {
  kind: 'kiosk' | 'fleet';
  totals: { visits: number; events: number; openVisits: number };
  /** First and last local day with a visit (YYYY-MM-DD), null for an empty log. */
  range: { from: string; to: string } | null;
  utcOffsetsMin: number[];
  perDay: { day: string; visits: number }[];
  /** Visits by local weekday (0 = Sunday) and hour. */
  heatmap: { weekday: number; hour: number; visits: number }[];
  duration: DurationStats;
  endReasons: { reason: string; visits: number }[];
  locales: { locale: string; visits: number }[];
  exhibits: { exhibitId: string; visits: number }[];
  activities: { activityId: string; activityType: string | null; visits: number; opens: number; attraction: number }[];
  videos: VideoStats[];
  scenarios: ScenarioStats[];
  quizzes: QuizStats[];
  kiosks: KioskStats[];
  packVersions: { packId: string; packVersion: string; visits: number; from: string; to: string }[];
  quality: DataQuality;
}

export interface DurationStats {
  /** Visits with a known duration (ended visits). */
  measured: number;
  p10: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  p90: number | null;
  mean: number | null;
  bounces: number;
  /** Bounces ÷ measured visits: visits under BOUNCE_MS. */
  bounceRate: number | null;
  buckets: { upToMs: number | null; visits: number }[];
}

export interface VideoStats {
  activityId: string;
  /** Visits that played it at least once. */
  viewings: number;
  /** Length in seconds: the longest the player reported, else the furthest position seen (estimated). */
  length: number;
  lengthEstimated: boolean;
  /** Mean share of the video each viewing covered: union of played segments ÷ length. */
  holding: number;
  /** Viewings that reached the end. */
  completed: number;
  meanSecondsWatched: number;
  /** Share of viewings that watched each tenth of the video. */
  curve: number[];
}

export interface ScenarioNodeStats {
  nodeId: string;
  /** Depth from the start node in the pack's graph, or null for a node the pack does not know. */
  depth: number | null;
  reached: number;
  chose: number;
  left: number;
  safeChoices: number;
  choices: { choiceId: string; next: string; safe: boolean; count: number }[];
}

export interface ScenarioStats {
  activityId: string;
  opens: number;
  nodes: ScenarioNodeStats[];
  endings: { endingId: string; outcome: 'safe' | 'unsafe' | string; count: number }[];
  safeEndings: number;
  unsafeEndings: number;
}

export interface QuestionStats {
  questionId: string;
  answers: number;
  correct: number;
  correctRate: number;
  meanMs: number;
  /** The wrong answer chosen most often (option ids) and how often. */
  topWrong: { chosen: string[]; count: number } | null;
}

export interface QuizStats {
  activityId: string;
  starts: number;
  finishes: number;
  completion: number | null;
  meanPercent: number | null;
  passed: number;
  passRate: number | null;
  scores: { percent: number; count: number }[];
  questions: QuestionStats[];
}

export interface KioskStats {
  kioskId: string;
  label: string;
  location: string;
  visits: number;
  events: number;
  bounceRate: number | null;
  meanDurationMs: number | null;
  from: string | null;
  to: string | null;
}

export interface DataQuality {
  seq: { kioskId: string; firstSeq: number; lastSeq: number; events: number; missing: number; gaps: { after: number; before: number }[] }[];
  clockJumps: { kioskId: string; at: string; detail: string }[];
  clockJumpCount: number;
  /** Events whose wall time is earlier than the event before them (seq order): the clock went back. */
  timeBackwards: { kioskId: string; count: number }[];
  recovered: { kioskId: string; visits: number }[];
  unknownEventTypes: { type: string; count: number }[];
  otherPacks: { packId: string; visits: number }[];
}

export const BOUNCE_MS = 10_000;
const DURATION_BUCKETS_MS = [10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000];
const CURVE_STEPS = 10;
const KNOWN_TYPES = [
  'visit.start', 'visit.end', 'locale.change', 'exhibit.open', 'activity.open', 'activity.close', 'video.play', 'video.pause',
  'video.seek', 'video.ended', 'scenario.choice', 'scenario.end', 'quiz.start', 'quiz.answer', 'quiz.finish', 'article.qr.show',
];
const MAX_LISTED = 20;

/** The scenario graphs the funnel follows: start node and edges, from the pack (optional). */
export interface ScenarioGraph {
  start: string;
  nodes: { id: string; next: string[] }[];
}

export interface MetricsOptions {
  kind: 'kiosk' | 'fleet';
  /** The pack the report is about: visits of other packs are counted as a data-quality note. */
  packId: string | null;
  scenarioGraphs?: ReadonlyMap<string, ScenarioGraph>;
  onStep?: (step: string) => void;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const localDay = "date(started_at, utc_offset_min || ' minutes')";

export function computeMetrics(db: Database, options: MetricsOptions): ReportMetrics {
  const all = <T>(sql: string, ...params: unknown[]): T[] => db.prepare(sql).all(...params) as T[];
  const get = <T>(sql: string, ...params: unknown[]): T => db.prepare(sql).get(...params) as T;
  const step = options.onStep ?? (() => {});

  step('visits');
  const visitTotals = get<{ visits: number; open: number; from: string | null; to: string | null }>(
    `SELECT COUNT(*) AS visits, SUM(ended_at IS NULL) AS open, MIN(${localDay}) AS "from", MAX(${localDay}) AS "to" FROM r_visit`,
  );
  const perDayRows = all<{ day: string; visits: number }>(`SELECT ${localDay} AS day, COUNT(*) AS visits FROM r_visit GROUP BY day ORDER BY day`);
  const heatmap = all<{ weekday: number; hour: number; visits: number }>(
    `SELECT CAST(strftime('%w', started_at, utc_offset_min || ' minutes') AS INTEGER) AS weekday,
            CAST(strftime('%H', started_at, utc_offset_min || ' minutes') AS INTEGER) AS hour, COUNT(*) AS visits
     FROM r_visit GROUP BY weekday, hour ORDER BY weekday, hour`,
  );
  const utcOffsetsMin = all<{ o: number }>('SELECT DISTINCT utc_offset_min AS o FROM r_visit ORDER BY o').map((r) => r.o);
  const duration = durationStats(db);
  const endReasons = all<{ reason: string; visits: number }>(
    "SELECT COALESCE(end_reason, 'open') AS reason, COUNT(*) AS visits FROM r_visit GROUP BY reason ORDER BY visits DESC",
  );
  const locales = all<{ locale: string; visits: number }>('SELECT locale, COUNT(*) AS visits FROM r_visit GROUP BY locale ORDER BY visits DESC');

  step('activities');
  const typeCounts = all<{ type: string; count: number }>('SELECT type, COUNT(*) AS count FROM r_event GROUP BY type');
  const events = typeCounts.reduce((sum, r) => sum + r.count, 0);
  const exhibits = all<{ exhibitId: string; visits: number }>(
    "SELECT exhibit_id AS exhibitId, COUNT(DISTINCT visit_id) AS visits FROM r_event WHERE type = 'exhibit.open' AND exhibit_id IS NOT NULL GROUP BY exhibit_id ORDER BY visits DESC",
  );
  const activities = all<{ activityId: string; activityType: string | null; visits: number; opens: number }>(
    `SELECT activity_id AS activityId, MAX(json_extract(data, '$.activityType')) AS activityType,
            COUNT(DISTINCT visit_id) AS visits, COUNT(*) AS opens
     FROM r_event WHERE type = 'activity.open' AND activity_id IS NOT NULL GROUP BY activity_id ORDER BY visits DESC`,
  ).map((a) => ({ ...a, attraction: visitTotals.visits > 0 ? a.visits / visitTotals.visits : 0 }));

  step('videos');
  const videos = videoStats(db);
  step('scenarios');
  const scenarios = scenarioStats(db, options.scenarioGraphs ?? new Map());
  step('quizzes');
  const quizzes = quizStats(db);

  step('kiosks');
  const eventsPerKiosk = all<{ kioskId: string; events: number; firstSeq: number; lastSeq: number }>(
    'SELECT kiosk_id AS kioskId, COUNT(*) AS events, MIN(seq) AS firstSeq, MAX(seq) AS lastSeq FROM r_event GROUP BY kiosk_id',
  );
  const kioskRows = all<Omit<KioskStats, 'events'> & { bounces: number; measured: number }>(
    `SELECT k.kiosk_id AS kioskId, k.label, k.location, COUNT(v.visit_id) AS visits,
            SUM(v.duration_ms < ${BOUNCE_MS}) AS bounces, COUNT(v.duration_ms) AS measured, AVG(v.duration_ms) AS meanDurationMs,
            MIN(date(v.started_at, v.utc_offset_min || ' minutes')) AS "from", MAX(date(v.started_at, v.utc_offset_min || ' minutes')) AS "to"
     FROM r_kiosk k LEFT JOIN r_visit v ON v.kiosk_id = k.kiosk_id GROUP BY k.kiosk_id ORDER BY visits DESC, k.kiosk_id`,
  );
  const kiosks: KioskStats[] = kioskRows.map(({ bounces, measured, ...k }) => ({
    ...k,
    events: eventsPerKiosk.find((e) => e.kioskId === k.kioskId)?.events ?? 0,
    bounceRate: ratio(bounces ?? 0, measured),
  }));
  const packVersions = all<{ packId: string; packVersion: string; visits: number; from: string; to: string }>(
    `SELECT pack_id AS packId, pack_version AS packVersion, COUNT(*) AS visits, MIN(${localDay}) AS "from", MAX(${localDay}) AS "to"
     FROM r_visit GROUP BY pack_id, pack_version ORDER BY "from", pack_id, pack_version`,
  );

  step('data quality');
  const quality: DataQuality = {
    seq: eventsPerKiosk.map((k) => {
      const missing = k.lastSeq - k.firstSeq + 1 - k.events;
      const gaps =
        missing > 0
          ? all<{ after: number; before: number }>(
              `SELECT a.seq AS after, (SELECT MIN(c.seq) FROM r_event c WHERE c.kiosk_id = a.kiosk_id AND c.seq > a.seq) AS before
               FROM r_event a WHERE a.kiosk_id = ? AND a.seq < ?
                 AND NOT EXISTS (SELECT 1 FROM r_event b WHERE b.kiosk_id = a.kiosk_id AND b.seq = a.seq + 1)
               ORDER BY a.seq LIMIT ${MAX_LISTED}`,
              k.kioskId,
              k.lastSeq,
            )
          : [];
      return { kioskId: k.kioskId, firstSeq: k.firstSeq, lastSeq: k.lastSeq, events: k.events, missing, gaps };
    }),
    clockJumps: all<{ kioskId: string; at: string; detail: string }>(
      `SELECT kiosk_id AS kioskId, at, detail FROM r_audit WHERE action = 'clock.jump' ORDER BY at LIMIT ${MAX_LISTED}`,
    ),
    clockJumpCount: get<{ n: number }>("SELECT COUNT(*) AS n FROM r_audit WHERE action = 'clock.jump'").n,
    // A join on the next seq rather than a window function: it follows the primary key and is several times faster.
    timeBackwards: all<{ kioskId: string; count: number }>(
      `SELECT a.kiosk_id AS kioskId, COUNT(*) AS count FROM r_event a JOIN r_event b ON b.kiosk_id = a.kiosk_id AND b.seq = a.seq + 1
       WHERE b.at < a.at GROUP BY a.kiosk_id`,
    ),
    recovered: all<{ kioskId: string; visits: number }>(
      "SELECT kiosk_id AS kioskId, COUNT(*) AS visits FROM r_visit WHERE end_reason = 'recovered' GROUP BY kiosk_id ORDER BY visits DESC",
    ),
    unknownEventTypes: typeCounts.filter((t) => !KNOWN_TYPES.includes(t.type)),
    otherPacks: options.packId
      ? all<{ packId: string; visits: number }>('SELECT pack_id AS packId, COUNT(*) AS visits FROM r_visit WHERE pack_id <> ? GROUP BY pack_id', options.packId)
      : [],
  };

  return {
    kind: options.kind,
    totals: { visits: visitTotals.visits, events, openVisits: visitTotals.open ?? 0 },
    range: visitTotals.from && visitTotals.to ? { from: visitTotals.from, to: visitTotals.to } : null,
    utcOffsetsMin,
    perDay: fillDays(perDayRows),
    heatmap,
    duration,
    endReasons,
    locales,
    exhibits,
    activities,
    videos,
    scenarios,
    quizzes,
    kiosks,
    packVersions,
    quality,
  };
}

/** Every day between the first and the last, zeros included, so a quiet day shows as a gap and not as nothing. */
function fillDays(rows: { day: string; visits: number }[]): { day: string; visits: number }[] {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((r) => [r.day, r.visits]));
  const out: { day: string; visits: number }[] = [];
  const last = Date.parse(`${rows.at(-1)!.day}T00:00:00Z`);
  for (let t = Date.parse(`${rows[0]!.day}T00:00:00Z`); t <= last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, visits: byDay.get(day) ?? 0 });
  }
  return out;
}

function durationStats(db: Database): DurationStats {
  const { measured, mean, bounces } = db
    .prepare(`SELECT COUNT(duration_ms) AS measured, AVG(duration_ms) AS mean, SUM(duration_ms < ${BOUNCE_MS}) AS bounces FROM r_visit`)
    .get() as { measured: number; mean: number | null; bounces: number | null };
  // One sorted pass picks every quantile's two neighbouring ranks without holding the durations.
  const wanted = [0.1, 0.25, 0.5, 0.75, 0.9];
  const ranks = new Map<number, number>();
  for (const p of wanted) {
    const pos = (measured - 1) * p;
    ranks.set(Math.floor(pos), 0);
    ranks.set(Math.ceil(pos), 0);
  }
  let rank = 0;
  const sorted = db.prepare('SELECT duration_ms AS d FROM r_visit WHERE duration_ms IS NOT NULL ORDER BY duration_ms').raw().iterate() as IterableIterator<[number]>;
  for (const [d] of sorted) {
    if (ranks.has(rank)) ranks.set(rank, d);
    rank += 1;
  }
  /** Linear interpolation between the two nearest ranks (the usual "type 7" quantile). */
  const quantile = (p: number): number | null => {
    if (measured === 0) return null;
    const pos = (measured - 1) * p;
    const lo = ranks.get(Math.floor(pos))!;
    const hi = ranks.get(Math.ceil(pos))!;
    return lo + (hi - lo) * (pos - Math.floor(pos));
  };
  const bucketSql = DURATION_BUCKETS_MS.map((ms, i) => `WHEN duration_ms < ${ms} THEN ${i}`).join(' ');
  const bucketRows = db
    .prepare(`SELECT CASE ${bucketSql} ELSE ${DURATION_BUCKETS_MS.length} END AS b, COUNT(*) AS n FROM r_visit WHERE duration_ms IS NOT NULL GROUP BY b`)
    .all() as { b: number; n: number }[];
  const buckets = [...DURATION_BUCKETS_MS, null].map((upToMs, i) => ({ upToMs, visits: bucketRows.find((r) => r.b === i)?.n ?? 0 }));
  return {
    measured,
    p10: quantile(0.1),
    q1: quantile(0.25),
    median: quantile(0.5),
    q3: quantile(0.75),
    p90: quantile(0.9),
    mean,
    bounces: bounces ?? 0,
    bounceRate: ratio(bounces ?? 0, measured),
    buckets,
  };
}

interface VideoRow {
  visit_id: string;
  activity_id: string;
  type: string;
  data: string;
}

/**
 * Holding power per video, streamed: rows come sorted by visit and seq, and each visit's viewing of a
 * video is folded into a few counters as soon as the visit is over. Two passes over the (small) set of
 * video rows: the first learns each video's length, the second measures every viewing against it.
 */
function videoStats(db: Database): VideoStats[] {
  const sql = `SELECT visit_id, activity_id, type, data FROM r_event
    WHERE type IN ('video.play', 'video.pause', 'video.seek', 'video.ended') AND activity_id IS NOT NULL ORDER BY visit_id, seq`;
  const lengths = new Map<string, { length: number; furthest: number }>();
  const lengthRows = db
    .prepare(
      `SELECT activity_id AS id,
              MAX(CASE WHEN type = 'video.ended' THEN json_extract(data, '$.duration') END) AS length,
              MAX(COALESCE(json_extract(data, '$.position'), json_extract(data, '$.to'), json_extract(data, '$.duration'))) AS furthest
       FROM r_event WHERE type IN ('video.play', 'video.pause', 'video.seek', 'video.ended') AND activity_id IS NOT NULL GROUP BY activity_id`,
    )
    .all() as { id: string; length: number | null; furthest: number | null }[];
  for (const r of lengthRows) lengths.set(r.id, { length: r.length ?? 0, furthest: r.furthest ?? 0 });

  const acc = new Map<string, { viewings: number; covered: number; share: number; completed: number; curve: number[] }>();
  let visit: string | null = null;
  let viewings = new Map<string, ViewingSegments>();
  const flush = () => {
    for (const [id, viewing] of viewings) {
      const known = lengths.get(id);
      const length = known && known.length > 0 ? known.length : (known?.furthest ?? 0);
      if (length <= 0) continue;
      const union = viewing.union();
      const covered = coveredSeconds(union, length);
      const a = acc.get(id) ?? { viewings: 0, covered: 0, share: 0, completed: 0, curve: new Array<number>(CURVE_STEPS).fill(0) };
      a.viewings += 1;
      a.covered += covered;
      a.share += Math.min(1, covered / length);
      if (viewing.ended) a.completed += 1;
      for (let i = 0; i < CURVE_STEPS; i += 1) {
        const mid = ((i + 0.5) / CURVE_STEPS) * length;
        if (union.some(([s, e]) => s <= mid && mid <= e)) a.curve[i]! += 1;
      }
      acc.set(id, a);
    }
    viewings = new Map();
  };
  for (const row of db.prepare(sql).iterate() as IterableIterator<VideoRow>) {
    if (row.visit_id !== visit) {
      flush();
      visit = row.visit_id;
    }
    let viewing = viewings.get(row.activity_id);
    if (!viewing) viewings.set(row.activity_id, (viewing = new ViewingSegments()));
    const data = JSON.parse(row.data) as { position?: number; from?: number; to?: number; duration?: number; segments?: Segment[] };
    if (row.type === 'video.play') viewing.play(data.position ?? 0);
    else if (row.type === 'video.pause') viewing.pause(data.position ?? 0);
    else if (row.type === 'video.seek') viewing.seek(data.from ?? 0, data.to ?? 0);
    else viewing.end(data.duration ?? 0, data.segments ?? []);
  }
  flush();
  return [...acc.entries()]
    .map(([activityId, a]) => {
      const known = lengths.get(activityId)!;
      return {
        activityId,
        viewings: a.viewings,
        length: known.length > 0 ? known.length : known.furthest,
        lengthEstimated: !(known.length > 0),
        holding: a.share / a.viewings,
        completed: a.completed,
        meanSecondsWatched: a.covered / a.viewings,
        curve: a.curve.map((n) => n / a.viewings),
      };
    })
    .sort((x, y) => y.viewings - x.viewings);
}

function scenarioStats(db: Database, graphs: ReadonlyMap<string, ScenarioGraph>): ScenarioStats[] {
  const opens = db
    .prepare("SELECT activity_id AS id, COUNT(*) AS n FROM r_event WHERE type = 'activity.open' AND json_extract(data, '$.activityType') = 'scenario' GROUP BY activity_id")
    .all() as { id: string; n: number }[];
  const choices = db
    .prepare(
      `SELECT activity_id AS id, item_id AS node, json_extract(data, '$.choice') AS choice, json_extract(data, '$.next') AS next,
              json_extract(data, '$.safe') AS safe, COUNT(*) AS n
       FROM r_event WHERE type = 'scenario.choice' AND activity_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
    )
    .all() as { id: string; node: string | null; choice: string; next: string; safe: number; n: number }[];
  const endings = db
    .prepare(
      `SELECT activity_id AS id, json_extract(data, '$.ending') AS ending, json_extract(data, '$.outcome') AS outcome, COUNT(*) AS n
       FROM r_event WHERE type = 'scenario.end' AND activity_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY n DESC`,
    )
    .all() as { id: string; ending: string; outcome: string; n: number }[];

  const ids = new Set([...opens.map((o) => o.id), ...choices.map((c) => c.id), ...endings.map((e) => e.id)]);
  return [...ids].map((activityId) => {
    const opened = opens.find((o) => o.id === activityId)?.n ?? 0;
    const mine = choices.filter((c) => c.id === activityId);
    const graph = graphs.get(activityId);
    const depth = graph ? graphDepths(graph) : new Map<string, number>();
    const start = graph?.start ?? null;
    const nodeIds = new Set<string>([...depth.keys()].filter((id) => graph?.nodes.some((n) => n.id === id)));
    for (const c of mine) if (c.node) nodeIds.add(c.node);
    const nodes: ScenarioNodeStats[] = [...nodeIds].map((nodeId) => {
      const here = mine.filter((c) => c.node === nodeId);
      const chose = here.reduce((s, c) => s + c.n, 0);
      const arrived = mine.filter((c) => c.next === nodeId).reduce((s, c) => s + c.n, 0);
      // Everyone who opened the scenario stands at its first node (after the intro).
      const reached = nodeId === start ? Math.max(opened, chose) : Math.max(arrived, chose);
      return {
        nodeId,
        depth: depth.get(nodeId) ?? null,
        reached,
        chose,
        left: reached - chose,
        safeChoices: here.filter((c) => c.safe === 1).reduce((s, c) => s + c.n, 0),
        choices: here.map((c) => ({ choiceId: c.choice, next: c.next, safe: c.safe === 1, count: c.n })).sort((a, b) => b.count - a.count),
      };
    });
    nodes.sort((a, b) => (a.depth ?? 1e9) - (b.depth ?? 1e9) || b.reached - a.reached || a.nodeId.localeCompare(b.nodeId));
    const ends = endings.filter((e) => e.id === activityId).map((e) => ({ endingId: e.ending, outcome: e.outcome, count: e.n }));
    return {
      activityId,
      opens: opened,
      nodes,
      endings: ends,
      safeEndings: ends.filter((e) => e.outcome === 'safe').reduce((s, e) => s + e.count, 0),
      unsafeEndings: ends.filter((e) => e.outcome === 'unsafe').reduce((s, e) => s + e.count, 0),
    };
  }).sort((a, b) => b.opens - a.opens);
}

/** Breadth-first depth of every node from the start, so the funnel reads from the first question down. */
function graphDepths(graph: ScenarioGraph): Map<string, number> {
  const next = new Map(graph.nodes.map((n) => [n.id, n.next]));
  const depth = new Map<string, number>([[graph.start, 0]]);
  const queue = [graph.start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const to of next.get(id) ?? []) {
      if (!depth.has(to) && next.has(to)) {
        depth.set(to, depth.get(id)! + 1);
        queue.push(to);
      }
    }
  }
  return depth;
}

function quizStats(db: Database): QuizStats[] {
  const starts = db.prepare("SELECT activity_id AS id, COUNT(*) AS n FROM r_event WHERE type = 'quiz.start' AND activity_id IS NOT NULL GROUP BY 1").all() as {
    id: string;
    n: number;
  }[];
  const finishes = db
    .prepare(
      `SELECT activity_id AS id, COUNT(*) AS n, AVG(json_extract(data, '$.percent')) AS meanPercent, SUM(json_extract(data, '$.passed')) AS passed
       FROM r_event WHERE type = 'quiz.finish' AND activity_id IS NOT NULL GROUP BY 1`,
    )
    .all() as { id: string; n: number; meanPercent: number | null; passed: number | null }[];
  const scores = db
    .prepare(
      `SELECT activity_id AS id, CAST(ROUND(json_extract(data, '$.percent')) AS INTEGER) AS percent, COUNT(*) AS n
       FROM r_event WHERE type = 'quiz.finish' AND activity_id IS NOT NULL GROUP BY 1, 2 ORDER BY 2`,
    )
    .all() as { id: string; percent: number; n: number }[];
  // One pass over the answers: per question, per correctness and per chosen set. Totals, correct counts
  // and the most chosen wrong answer all come out of these groups.
  const groups = db
    .prepare(
      `SELECT activity_id AS id, item_id AS q, json_extract(data, '$.correct') AS correct, json_extract(data, '$.chosen') AS chosen,
              COUNT(*) AS n, SUM(json_extract(data, '$.ms')) AS ms
       FROM r_event WHERE type = 'quiz.answer' AND activity_id IS NOT NULL AND item_id IS NOT NULL
       GROUP BY 1, 2, 3, 4 ORDER BY n DESC, chosen`,
    )
    .all() as { id: string; q: string; correct: number; chosen: string; n: number; ms: number }[];
  const questionsOf = (activityId: string): QuestionStats[] => {
    const byQuestion = new Map<string, QuestionStats & { msTotal: number }>();
    for (const g of groups) {
      if (g.id !== activityId) continue;
      const q = byQuestion.get(g.q) ?? { questionId: g.q, answers: 0, correct: 0, correctRate: 0, meanMs: 0, msTotal: 0, topWrong: null };
      q.answers += g.n;
      q.msTotal += g.ms;
      if (g.correct === 1) q.correct += g.n;
      // Groups come sorted by count, so the first wrong group of a question is its most chosen wrong answer.
      else q.topWrong ??= { chosen: JSON.parse(g.chosen) as string[], count: g.n };
      byQuestion.set(g.q, q);
    }
    return [...byQuestion.values()]
      .map(({ msTotal, ...q }) => ({ ...q, correctRate: q.correct / q.answers, meanMs: msTotal / q.answers }))
      .sort((x, y) => x.correctRate - y.correctRate || x.questionId.localeCompare(y.questionId));
  };

  const ids = new Set([...starts.map((s) => s.id), ...finishes.map((f) => f.id), ...groups.map((g) => g.id)]);
  return [...ids].map((activityId) => {
    const started = starts.find((s) => s.id === activityId)?.n ?? 0;
    const fin = finishes.find((f) => f.id === activityId);
    const finished = fin?.n ?? 0;
    return {
      activityId,
      starts: started,
      finishes: finished,
      completion: ratio(finished, started),
      meanPercent: fin?.meanPercent ?? null,
      passed: fin?.passed ?? 0,
      passRate: ratio(fin?.passed ?? 0, finished),
      scores: scores.filter((s) => s.id === activityId).map((s) => ({ percent: s.percent, count: s.n })),
      questions: questionsOf(activityId),
    };
  }).sort((a, b) => b.starts - a.starts);
}

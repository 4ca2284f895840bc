import type { Database } from 'better-sqlite3';
import { isoUtc, utcOffsetMinutes } from '../../clock';
import { localTime } from './local-time';
import { VISIT_LOCAL_DATE, type ExportLang, type ExportSelection } from './selection';
import type { SheetWriter, XlsxCell } from './xlsx-sheet';

export const SUMMARY_COLUMNS = [{ width: 36 }, { width: 22 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }];

const TEXT = {
  'zh-CN': {
    title: '参观记录汇总',
    anonymous: '所有数字都是匿名的参观次数，不是人数。',
    kiosk: '展机',
    generated: '生成时间（当地时间）',
    range: '范围',
    ranges: { all: '全部记录', 'since-last': '自上次导出以来', dates: (from: string, to: string) => `${from} 至 ${to}（当地日期）` },
    seqRange: '事件序号范围',
    none: '无',
    app: '软件版本',
    totals: '总计',
    visits: '参观次数',
    events: '事件数',
    completedVisits: '完整看完的参观',
    avgDuration: '平均参观时长（秒）',
    medianDuration: '参观时长中位数（秒）',
    bounce: '10 秒内离开的参观比例',
    perDay: ['每日参观（当地日期）', '日期', '参观次数'],
    endReasons: ['结束原因', '原因', '参观次数', '占比'],
    activities: ['各活动打开情况', '活动', '类型', '打开次数', '打开过的参观', '占参观比例'],
    quizQuestions: ['测验答题', '测验', '题目', '作答次数', '答对次数', '正确率'],
    quizzes: ['测验完成情况', '测验', '完成次数', '通过次数', '通过率', '平均得分率'],
    scenarios: ['情景结局', '情景', '结局', '结果', '次数'],
    videos: ['视频', '视频', '播放次数', '看完次数'],
    reasons: { completed: '完成', idle: '无操作超时', home: '返回首页', shutdown: '关机', recovered: '异常中断后恢复' } as Record<string, string>,
    outcomes: { safe: '安全', unsafe: '不安全' } as Record<string, string>,
  },
  en: {
    title: 'Visit log summary',
    anonymous: 'All counts are anonymous visits, not people.',
    kiosk: 'Kiosk',
    generated: 'Generated (local time)',
    range: 'Range',
    ranges: { all: 'Everything logged', 'since-last': 'New since the last export', dates: (from: string, to: string) => `${from} to ${to} (local dates)` },
    seqRange: 'Event seq range',
    none: 'none',
    app: 'App version',
    totals: 'Totals',
    visits: 'Visits',
    events: 'Events',
    completedVisits: 'Visits completed',
    avgDuration: 'Average visit duration (s)',
    medianDuration: 'Median visit duration (s)',
    bounce: 'Share of visits under 10 s',
    perDay: ['Visits per day (local date)', 'Date', 'Visits'],
    endReasons: ['End reasons', 'Reason', 'Visits', 'Share'],
    activities: ['Activities opened', 'Activity', 'Type', 'Opens', 'Visits that opened it', 'Share of visits'],
    quizQuestions: ['Quiz answers', 'Quiz', 'Question', 'Answers', 'Correct', 'Correct rate'],
    quizzes: ['Quizzes finished', 'Quiz', 'Finished', 'Passed', 'Pass rate', 'Average score'],
    scenarios: ['Scenario endings', 'Scenario', 'Ending', 'Outcome', 'Count'],
    videos: ['Videos', 'Video', 'Plays', 'Watched to the end'],
    reasons: { completed: 'completed', idle: 'idle timeout', home: 'went home', shutdown: 'shut down', recovered: 'recovered after a crash' } as Record<string, string>,
    outcomes: { safe: 'safe', unsafe: 'unsafe' } as Record<string, string>,
  },
} satisfies Record<ExportLang, unknown>;

const percent = (part: number, whole: number): XlsxCell => (whole > 0 ? { value: part / whole, style: 'percent' } : null);
type Row = Record<string, string | number | null>;

/**
 * The one-glance sheet: totals and small breakdowns computed by SQLite over the same selection as the
 * data sheets. Every query groups by a day, an activity or a question, so its result stays small
 * whatever the log's size.
 */
export function writeSummarySheet(sheet: SheetWriter, db: Database, selection: ExportSelection, lang: ExportLang, meta: { now: number; appVersion: string }): void {
  const t = TEXT[lang];
  const ev = selection.events;
  const vi = selection.visits;
  const all = <T extends Row>(sql: string, params: Record<string, string | number>) => db.prepare(sql).all(params) as T[];
  const eventsOf = (type: string, select: string, groupBy: string) =>
    `SELECT ${select} FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${ev.where} AND e.type = '${type}' GROUP BY ${groupBy} ORDER BY ${groupBy}`;
  const blank = () => sheet.row([]);
  const section = (header: readonly string[]) => {
    blank();
    sheet.row([header[0] ?? ''], 'bold');
    if (header.length > 1) sheet.row(header.slice(1), 'bold');
  };

  sheet.row([t.title], 'bold');
  sheet.row([t.anonymous]);
  const kiosk = db.prepare('SELECT kiosk_id, label, location FROM kiosk').get() as { kiosk_id: string; label: string; location: string } | undefined;
  if (kiosk) sheet.row([t.kiosk, kiosk.kiosk_id, [kiosk.label, kiosk.location].filter(Boolean).join(' · ') || null]);
  sheet.row([t.generated, localTime(isoUtc(meta.now), utcOffsetMinutes(meta.now))]);
  const { range } = selection;
  sheet.row([t.range, range.kind === 'dates' ? t.ranges.dates(range.from, range.to) : t.ranges[range.kind]]);
  sheet.row([t.seqRange, selection.eventRows > 0 ? `${selection.fromSeq}–${selection.toSeq}` : t.none]);
  sheet.row([t.app, meta.appVersion]);

  const visitStats = db
    .prepare(
      `SELECT COUNT(*) AS visits, SUM(end_reason = 'completed') AS completed, AVG(duration_ms) AS avgMs,
              SUM(duration_ms < 10000) AS short, COUNT(duration_ms) AS timed FROM visit WHERE ${vi.where}`,
    )
    .get(vi.params) as { visits: number; completed: number | null; avgMs: number | null; short: number | null; timed: number };
  const median = visitStats.timed
    ? (db.prepare(`SELECT duration_ms AS ms FROM visit WHERE ${vi.where} AND duration_ms IS NOT NULL ORDER BY duration_ms LIMIT 1 OFFSET @middle`).get({ ...vi.params, middle: Math.floor(visitStats.timed / 2) }) as { ms: number }).ms
    : null;
  section([t.totals]);
  sheet.row([t.visits, selection.visitRows]);
  sheet.row([t.events, selection.eventRows]);
  sheet.row([t.completedVisits, visitStats.completed ?? 0]);
  sheet.row([t.avgDuration, visitStats.avgMs === null ? null : Math.round(visitStats.avgMs / 100) / 10]);
  sheet.row([t.medianDuration, median === null ? null : median / 1000]);
  sheet.row([t.bounce, percent(visitStats.short ?? 0, visitStats.timed)]);

  section(t.endReasons);
  for (const r of all<{ reason: string | null; n: number }>(`SELECT end_reason AS reason, COUNT(*) AS n FROM visit WHERE ${vi.where} GROUP BY end_reason ORDER BY n DESC, reason`, vi.params)) {
    sheet.row([r.reason === null ? '—' : (t.reasons[r.reason] ?? r.reason), r.n, percent(r.n, selection.visitRows)]);
  }

  section(t.activities);
  const opens = all<{ activity: string | null; kind: string | null; opens: number; visits: number }>(
    eventsOf('activity.open', "e.activity_id AS activity, MAX(json_extract(e.data, '$.activityType')) AS kind, COUNT(*) AS opens, COUNT(DISTINCT e.visit_id) AS visits", 'e.activity_id'),
    ev.params,
  );
  for (const a of opens) sheet.row([a.activity, a.kind, a.opens, a.visits, percent(a.visits, selection.visitRows)]);

  section(t.quizQuestions);
  const answers = all<{ activity: string | null; item: string | null; n: number; correct: number }>(
    eventsOf('quiz.answer', "e.activity_id AS activity, e.item_id AS item, COUNT(*) AS n, SUM(json_extract(e.data, '$.correct') = 1) AS correct", 'e.activity_id, e.item_id'),
    ev.params,
  );
  for (const q of answers) sheet.row([q.activity, q.item, q.n, q.correct, percent(q.correct, q.n)]);

  section(t.quizzes);
  const finishes = all<{ activity: string | null; n: number; passed: number; score: number | null }>(
    eventsOf('quiz.finish', "e.activity_id AS activity, COUNT(*) AS n, SUM(json_extract(e.data, '$.passed') = 1) AS passed, AVG(json_extract(e.data, '$.percent')) AS score", 'e.activity_id'),
    ev.params,
  );
  for (const q of finishes) sheet.row([q.activity, q.n, q.passed, percent(q.passed, q.n), q.score === null ? null : { value: q.score / 100, style: 'percent' }]);

  section(t.scenarios);
  const endings = all<{ activity: string | null; ending: string | null; outcome: string | null; n: number }>(
    eventsOf('scenario.end', "e.activity_id AS activity, json_extract(e.data, '$.ending') AS ending, json_extract(e.data, '$.outcome') AS outcome, COUNT(*) AS n", 'e.activity_id, ending, outcome'),
    ev.params,
  );
  for (const s of endings) sheet.row([s.activity, s.ending, s.outcome === null ? null : (t.outcomes[s.outcome] ?? s.outcome), s.n]);

  section(t.videos);
  const videos = all<{ activity: string | null; plays: number; ended: number }>(
    `SELECT e.activity_id AS activity, SUM(e.type = 'video.play') AS plays, SUM(e.type = 'video.ended') AS ended
     FROM event e JOIN visit v ON v.visit_id = e.visit_id WHERE ${ev.where} AND e.type IN ('video.play', 'video.ended')
     GROUP BY e.activity_id ORDER BY e.activity_id`,
    ev.params,
  );
  for (const v of videos) sheet.row([v.activity, v.plays, v.ended]);

  // Last, because it is the longest: one row per day.
  section(t.perDay);
  for (const day of all<{ day: string; n: number }>(`SELECT ${VISIT_LOCAL_DATE} AS day, COUNT(*) AS n FROM visit WHERE ${vi.where} GROUP BY day ORDER BY day`, vi.params)) {
    sheet.row([day.day, day.n]);
  }
}

/**
 * One logged event as an xAPI 1.0.3 statement (visit-log.md, "Exports"). The visitor is anonymous: the
 * actor is an account named by the visit id on a home page naming the kiosk, so an LRS can group a
 * visit's statements without anything personal. Statement id = event id, so sending a file twice to an
 * LRS stores each statement once.
 *
 * | event            | verb                                               | object             | result / extensions                          |
 * |------------------|----------------------------------------------------|--------------------|----------------------------------------------|
 * | visit.start      | adl launched                                       | pack               | —                                            |
 * | visit.end        | adl terminated; adl abandoned when reason = idle   | pack               | duration, completion (reason completed)      |
 * | locale.change    | adl interacted                                     | pack               | locale from / to                             |
 * | exhibit.open     | adl experienced                                    | exhibit            | —                                            |
 * | activity.open    | adl experienced                                    | activity (typed)   | —                                            |
 * | activity.close   | adl exited                                         | activity           | duration, close reason                       |
 * | video.play       | video played                                       | video              | video time                                   |
 * | video.pause      | video paused                                       | video              | video time                                   |
 * | video.seek       | video seeked                                       | video              | video time-from, time-to                     |
 * | video.ended      | adl completed                                      | video              | completion, progress, played-segments, time  |
 * | scenario.choice  | adl answered                                       | scenario node      | response = choice, success = safe choice     |
 * | scenario.end     | adl completed                                      | scenario           | success = outcome safe, response = ending    |
 * | quiz.start       | adl attempted                                      | quiz (assessment)  | —                                            |
 * | quiz.answer      | adl answered                                       | question           | success = correct, response, duration        |
 * | quiz.finish      | adl passed / adl failed                            | quiz (assessment)  | score scaled/raw/min/max, success            |
 * | article.qr.show  | adl interacted                                     | article            | the URL shown                                |
 * | anything else    | adl interacted                                     | deepest known id   | —                                            |
 */

export const XAPI_VERSION = '1.0.3';

const ADL = 'http://adlnet.gov/expapi/verbs/';
const VIDEO = 'https://w3id.org/xapi/video/';
/** Our own extensions: IRIs under a URN no one else mints, as xAPI asks of extension keys. */
const KIOSK_EXT = 'urn:kiosk:xapi:';

type Verb = { id: string; display: Record<string, string> };
const verb = (id: string, en: string, zh: string): Verb => ({ id, display: { 'en-US': en, 'zh-CN': zh } });
export const VERBS = {
  launched: verb(`${ADL}launched`, 'launched', '开始'),
  terminated: verb(`${ADL}terminated`, 'terminated', '结束'),
  abandoned: verb(`${ADL}abandoned`, 'abandoned', '中途离开'),
  interacted: verb(`${ADL}interacted`, 'interacted', '互动'),
  experienced: verb(`${ADL}experienced`, 'experienced', '浏览'),
  exited: verb(`${ADL}exited`, 'exited', '退出'),
  played: verb(`${VIDEO}verbs/played`, 'played', '播放'),
  paused: verb(`${VIDEO}verbs/paused`, 'paused', '暂停'),
  seeked: verb(`${VIDEO}verbs/seeked`, 'seeked', '跳转'),
  completed: verb(`${ADL}completed`, 'completed', '完成'),
  answered: verb(`${ADL}answered`, 'answered', '作答'),
  attempted: verb(`${ADL}attempted`, 'attempted', '开始作答'),
  passed: verb(`${ADL}passed`, 'passed', '通过'),
  failed: verb(`${ADL}failed`, 'failed', '未通过'),
} satisfies Record<string, Verb>;

const ACTIVITY_TYPES: Record<string, string> = {
  pack: 'http://adlnet.gov/expapi/activities/course',
  exhibit: 'http://adlnet.gov/expapi/activities/module',
  video: `${VIDEO}activity-type/video`,
  quiz: 'http://adlnet.gov/expapi/activities/assessment',
  scenario: 'http://adlnet.gov/expapi/activities/simulation',
  article: 'http://activitystrea.ms/schema/1.0/article',
  question: 'http://adlnet.gov/expapi/activities/cmi.interaction',
};

/** An event with what its visit adds: `event e JOIN visit v`. */
export interface XapiEventRow {
  seq: number;
  eventId: string;
  visitId: string;
  at: string;
  tMs: number;
  type: string;
  exhibitId: string | null;
  activityId: string | null;
  itemId: string | null;
  data: string;
  packId: string;
  packVersion: string;
  locale: string;
}

export interface StatementContext {
  kioskId: string;
  appVersion: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const segment = (id: string | null) => (id === null ? '-' : encodeURIComponent(id));
/** `urn:kiosk-pack:<pack>/<exhibit>/<activity>/<item>`, cut after the deepest id known; "-" for a gap. */
export function objectIri(packId: string, ...ids: (string | null)[]): string {
  let depth = ids.length;
  while (depth > 0 && ids[depth - 1] === null) depth -= 1;
  return [`urn:kiosk-pack:${encodeURIComponent(packId)}`, ...ids.slice(0, depth).map(segment)].join('/');
}

/** ISO 8601 duration with the 0.01 s precision xAPI keeps, e.g. 3900 ms → "PT3.9S". */
export function isoDuration(ms: number): string {
  return `PT${Math.round(Math.max(0, ms) / 10) / 100}S`;
}

const num = (value: Json | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: Json | undefined): string | null => (typeof value === 'string' ? value : null);
const bool = (value: Json | undefined): boolean | null => (typeof value === 'boolean' ? value : null);
const round3 = (n: number) => Math.round(n * 1000) / 1000;

function parseData(data: string): JsonObject {
  try {
    const value = JSON.parse(data) as Json;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function segmentsOf(value: Json | undefined): [number, number][] {
  if (!Array.isArray(value)) return [];
  const out: [number, number][] = [];
  for (const pair of value) {
    if (Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number') out.push([pair[0], pair[1]]);
  }
  return out;
}

/** The video profile's played-segments: "start[.]end" pairs joined by "[,]". */
export function playedSegments(segments: [number, number][]): string {
  return segments.map(([from, to]) => `${round3(from)}[.]${round3(to)}`).join('[,]');
}

/** Share of the video covered by the union of played segments, 0..1. */
function progressOf(segments: [number, number][], duration: number): number {
  if (duration <= 0) return 0;
  const sorted = segments.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const).sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [from, to] of sorted) {
    const start = Math.max(from, end);
    if (to > start) covered += to - start;
    end = Math.max(end, to);
  }
  return round3(Math.min(1, covered / duration));
}

interface Mapped {
  verb: Verb;
  /** Which level of the row's ids the statement is about. */
  level: 'pack' | 'exhibit' | 'activity' | 'item';
  activityType?: string | undefined;
  result?: JsonObject;
  video?: boolean;
}

function mapEvent(row: XapiEventRow, data: JsonObject): Mapped {
  switch (row.type) {
    case 'visit.start':
      return { verb: VERBS.launched, level: 'pack', activityType: ACTIVITY_TYPES.pack };
    case 'visit.end': {
      const reason = str(data.reason);
      return {
        verb: reason === 'idle' ? VERBS.abandoned : VERBS.terminated,
        level: 'pack',
        activityType: ACTIVITY_TYPES.pack,
        result: { completion: reason === 'completed', duration: isoDuration(row.tMs), extensions: { [`${KIOSK_EXT}end-reason`]: reason } },
      };
    }
    case 'locale.change':
      return { verb: VERBS.interacted, level: 'pack', activityType: ACTIVITY_TYPES.pack, result: { extensions: { [`${KIOSK_EXT}locale-from`]: str(data.from), [`${KIOSK_EXT}locale-to`]: str(data.to) } } };
    case 'exhibit.open':
      return { verb: VERBS.experienced, level: 'exhibit', activityType: ACTIVITY_TYPES.exhibit };
    case 'activity.open':
      return { verb: VERBS.experienced, level: 'activity', activityType: ACTIVITY_TYPES[str(data.activityType) ?? ''] };
    case 'activity.close':
      return { verb: VERBS.exited, level: 'activity', result: { duration: isoDuration(num(data.ms) ?? 0), extensions: { [`${KIOSK_EXT}close-reason`]: str(data.reason) } } };
    case 'video.play':
      return { verb: VERBS.played, level: 'activity', activityType: ACTIVITY_TYPES.video, video: true, result: { extensions: { [`${VIDEO}extensions/time`]: round3(num(data.position) ?? 0) } } };
    case 'video.pause':
      return { verb: VERBS.paused, level: 'activity', activityType: ACTIVITY_TYPES.video, video: true, result: { extensions: { [`${VIDEO}extensions/time`]: round3(num(data.position) ?? 0) } } };
    case 'video.seek':
      return {
        verb: VERBS.seeked,
        level: 'activity',
        activityType: ACTIVITY_TYPES.video,
        video: true,
        result: { extensions: { [`${VIDEO}extensions/time-from`]: round3(num(data.from) ?? 0), [`${VIDEO}extensions/time-to`]: round3(num(data.to) ?? 0) } },
      };
    case 'video.ended': {
      const duration = num(data.duration) ?? 0;
      const segments = segmentsOf(data.segments);
      return {
        verb: VERBS.completed,
        level: 'activity',
        activityType: ACTIVITY_TYPES.video,
        video: true,
        result: {
          completion: true,
          extensions: {
            [`${VIDEO}extensions/time`]: round3(duration),
            [`${VIDEO}extensions/progress`]: progressOf(segments, duration),
            [`${VIDEO}extensions/played-segments`]: playedSegments(segments),
          },
        },
      };
    }
    case 'scenario.choice': {
      const result: JsonObject = { response: str(data.choice) ?? '', extensions: { [`${KIOSK_EXT}next-node`]: str(data.next) } };
      const safe = bool(data.safe);
      if (safe !== null) result.success = safe;
      return { verb: VERBS.answered, level: 'item', result };
    }
    case 'scenario.end':
      return {
        verb: VERBS.completed,
        level: 'activity',
        activityType: ACTIVITY_TYPES.scenario,
        result: {
          completion: true,
          success: str(data.outcome) === 'safe',
          response: str(data.ending) ?? '',
          extensions: { [`${KIOSK_EXT}path`]: Array.isArray(data.path) ? data.path.filter((p) => typeof p === 'string') : [] },
        },
      };
    case 'quiz.start':
      return { verb: VERBS.attempted, level: 'activity', activityType: ACTIVITY_TYPES.quiz };
    case 'quiz.answer': {
      const result: JsonObject = {
        response: Array.isArray(data.chosen) ? data.chosen.filter((c) => typeof c === 'string').join('[,]') : '',
        duration: isoDuration(num(data.ms) ?? 0),
      };
      const correct = bool(data.correct);
      if (correct !== null) result.success = correct;
      return { verb: VERBS.answered, level: 'item', activityType: ACTIVITY_TYPES.question, result };
    }
    case 'quiz.finish': {
      const raw = num(data.score) ?? 0;
      const max = num(data.total) ?? 0;
      const passed = bool(data.passed) === true;
      return {
        verb: passed ? VERBS.passed : VERBS.failed,
        level: 'activity',
        activityType: ACTIVITY_TYPES.quiz,
        result: { success: passed, completion: true, score: { scaled: max > 0 ? round3(Math.min(1, raw / max)) : 0, raw, min: 0, max } },
      };
    }
    case 'article.qr.show':
      return { verb: VERBS.interacted, level: 'activity', activityType: ACTIVITY_TYPES.article, result: { extensions: { [`${KIOSK_EXT}qr-url`]: str(data.url) } } };
    default:
      return { verb: VERBS.interacted, level: 'item' };
  }
}

const LEVEL_DEPTH = { pack: 0, exhibit: 1, activity: 2, item: 3 } as const;

export function toStatement(row: XapiEventRow, context: StatementContext): JsonObject {
  const data = parseData(row.data);
  const mapped = mapEvent(row, data);
  const ids = [row.exhibitId, row.activityId, row.itemId].slice(0, LEVEL_DEPTH[mapped.level]);
  const objectId = objectIri(row.packId, ...ids);
  const packIri = objectIri(row.packId);
  const object: JsonObject = { objectType: 'Activity', id: objectId };
  if (mapped.activityType) object.definition = { type: mapped.activityType };

  const contextExtensions: JsonObject = { [`${KIOSK_EXT}seq`]: row.seq, [`${KIOSK_EXT}pack-version`]: row.packVersion, [`${KIOSK_EXT}ms-since-visit-start`]: row.tMs };
  if (mapped.video) {
    contextExtensions[`${VIDEO}extensions/session-id`] = row.visitId;
    const length = num(data.duration);
    if (length !== null) contextExtensions[`${VIDEO}extensions/length`] = round3(length);
  }
  const xapiContext: JsonObject = { registration: row.visitId, platform: `Exhibit Kiosk ${context.appVersion}`, language: row.locale, extensions: contextExtensions };
  if (objectId !== packIri) {
    const parentIri = objectIri(row.packId, ...ids.slice(0, -1));
    xapiContext.contextActivities = {
      ...(parentIri !== packIri ? { parent: [{ objectType: 'Activity', id: parentIri }] } : {}),
      grouping: [{ objectType: 'Activity', id: packIri }],
    };
  }

  const statement: JsonObject = {
    id: row.eventId,
    version: XAPI_VERSION,
    timestamp: row.at,
    actor: { objectType: 'Agent', account: { homePage: `urn:kiosk:${context.kioskId}`, name: row.visitId } },
    verb: mapped.verb,
    object,
  };
  if (mapped.result) statement.result = mapped.result;
  statement.context = xapiContext;
  return statement;
}

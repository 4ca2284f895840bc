import BetterSqlite3, { type Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EndReason, EventData, EventType } from '../../electron/common/events';
import type { Locale } from '../../electron/common/locales';
import {
  packManifestSchema,
  type Activity,
  type PackManifest,
  type QuizActivity,
  type ScenarioActivity,
  type VideoActivity,
} from '../../electron/common/pack-schema';
import type { Clock } from '../../electron/core/clock';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../../electron/core/log/event-chain';
import { FLEET_APPLICATION_ID, FLEET_MIGRATIONS } from '../../electron/core/log/fleet/fleet-schema';
import { ensureKioskIdentity } from '../../electron/core/log/kiosk-identity';
import { migrate } from '../../electron/core/log/migrations';

export interface SyntheticLogOptions {
  visits: number;
  seed?: number;
  /** How many calendar days the visits spread over (default: about 150 visits a day, at least 7). */
  days?: number;
  /** The first local day, YYYY-MM-DD (default 2026-03-02, a Monday). */
  startDay?: string;
  /** The kiosk's offset from UTC in minutes (default 480, China). */
  utcOffsetMin?: number;
  /** The pack the visitors use (default: the bundled consular-protection pack). */
  pack?: PackManifest;
}

const BUNDLED_MANIFEST = fileURLToPath(new URL('../../exhibits/consular-protection/pack.json', import.meta.url));

let bundledPack: PackManifest | null = null;
/** The bundled pack, parsed once per process. */
export function loadBundledPack(): PackManifest {
  bundledPack ??= packManifestSchema.parse(JSON.parse(readFileSync(BUNDLED_MANIFEST, 'utf8')));
  return bundledPack;
}

/** mulberry32: small, fast and the same on every machine, so a seed always gives the same log. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items.at(-1)![0];
  };
  // Eight hex digits per draw: ids are made a million times in a bench run.
  const hex = (n: number) => {
    let out = '';
    while (out.length < n) out += Math.floor(next() * 4294967296).toString(16).padStart(8, '0');
    return out.slice(0, n);
  };
  return { next, int, pick, weighted, hex, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

/** A UUIDv7 whose time part is the event's time and whose random part comes from the seeded generator. */
function syntheticUuidv7(rng: Rng, ms: number, counter: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(rng.next() * 4)).toString(16);
  const seqHex = (counter & 0xfff).toString(16).padStart(3, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${seqHex}-${variant}${rng.hex(3)}-${rng.hex(12)}`;
}

// Visitors come in waves: a morning school-group peak, a lunch dip and an afternoon peak (local hours).
const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  [9, 4], [10, 9], [11, 8], [12, 4], [13, 5], [14, 9], [15, 10], [16, 7], [17, 3],
];
// Video lengths in seconds (the pack does not carry them; the player reports them in video.ended).
const VIDEO_SECONDS = (video: VideoActivity): number => Math.round(((video.chapters?.at(-1)?.at ?? 60) + 16) * 10) / 10;

interface PendingEvent {
  tMs: number;
  type: EventType;
  exhibitId: string | null;
  activityId: string | null;
  itemId: string | null;
  data: unknown;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function videoEvents(rng: Rng, video: VideoActivity, push: (tMs: number, type: EventType, data: unknown, itemId?: string) => void, t0: number): number {
  const length = VIDEO_SECONDS(video);
  const segments: [number, number][] = [];
  let t = t0 + rng.int(300, 1500);
  let position = 0;
  push(t, 'video.play', { position: 0 } satisfies EventData<'video.play'>);
  // Some watch to the end, many leave part-way; a few skip ahead with the chapter buttons.
  const watchUntil = rng.chance(0.45) ? length : round1(length * (0.1 + rng.next() * 0.8));
  let segmentStart = 0;
  while (position < watchUntil) {
    if (rng.chance(0.15) && position + 20 < watchUntil) {
      const from = round1(position + rng.int(3, 15));
      const to = round1(Math.min(length - 1, from + rng.int(5, 20)));
      t += (from - position) * 1000;
      segments.push([segmentStart, from]);
      push(t, 'video.seek', { from, to } satisfies EventData<'video.seek'>);
      position = to;
      segmentStart = to;
      continue;
    }
    if (rng.chance(0.1) && position + 10 < watchUntil) {
      const at = round1(position + rng.int(5, 15));
      t += (at - position) * 1000;
      segments.push([segmentStart, at]);
      push(t, 'video.pause', { position: at } satisfies EventData<'video.pause'>);
      t += rng.int(1000, 8000);
      push(t, 'video.play', { position: at } satisfies EventData<'video.play'>);
      position = at;
      segmentStart = at;
      continue;
    }
    const step = Math.min(watchUntil, round1(position + 30));
    t += (step - position) * 1000;
    position = step;
  }
  segments.push([segmentStart, position]);
  if (position >= length) push(t, 'video.ended', { duration: length, segments } satisfies EventData<'video.ended'>);
  else push(t, 'video.pause', { position } satisfies EventData<'video.pause'>);
  return Math.round(t);
}

function scenarioEvents(rng: Rng, scenario: ScenarioActivity, push: (tMs: number, type: EventType, data: unknown, itemId?: string) => void, t0: number): { t: number; completed: boolean } {
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
  const endings = new Map(scenario.endings.map((e) => [e.id, e]));
  const path: string[] = [];
  let t = t0 + rng.int(4000, 12000);
  let nodeId = scenario.start;
  for (let step = 0; step < 40; step += 1) {
    const node = nodes.get(nodeId);
    if (!node) break;
    // Some people walk away in the middle of a story.
    if (step > 0 && rng.chance(0.08)) return { t, completed: false };
    t += rng.int(5000, 20000);
    const safeChoices = node.choices.filter((c) => c.safe);
    const choice = safeChoices.length > 0 && rng.chance(0.68) ? rng.pick(safeChoices) : rng.pick(node.choices);
    path.push(node.id);
    push(t, 'scenario.choice', { choice: choice.id, next: choice.next, safe: choice.safe } satisfies EventData<'scenario.choice'>, node.id);
    t += rng.int(3000, 9000);
    const ending = endings.get(choice.next);
    if (ending) {
      push(t, 'scenario.end', { ending: ending.id, outcome: ending.outcome, path } satisfies EventData<'scenario.end'>, ending.id);
      return { t, completed: true };
    }
    nodeId = choice.next;
  }
  return { t, completed: false };
}

/** How likely a question is answered right: a stable per-question figure, with a few hard ones. */
function easiness(questionId: string): number {
  let h = 0;
  for (const ch of questionId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 5 === 0 ? 0.3 : 0.62 + (h % 30) / 100;
}

function quizEvents(rng: Rng, quiz: QuizActivity, push: (tMs: number, type: EventType, data: unknown, itemId?: string) => void, t0: number): { t: number; completed: boolean } {
  const pool = [...quiz.questions];
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const questions = pool.slice(0, Math.min(quiz.questionsPerRound, pool.length));
  let t = t0 + rng.int(2000, 6000);
  push(t, 'quiz.start', { questions: questions.map((q) => q.id) } satisfies EventData<'quiz.start'>);
  let score = 0;
  for (const [i, q] of questions.entries()) {
    if (i > 0 && rng.chance(0.03)) return { t, completed: false };
    const ms = rng.int(2500, 15000);
    t += ms;
    const correct = rng.chance(easiness(q.id));
    let chosen: string[];
    if (correct) chosen = [...q.answer];
    else {
      // Wrong answers cluster on one tempting option, as they do in real quizzes.
      const wrong = q.options.filter((o) => !q.answer.includes(o.id));
      const tempting = wrong[0] ?? q.options[0]!;
      const option = rng.chance(0.6) ? tempting : rng.pick(wrong.length > 0 ? wrong : q.options);
      chosen = q.kind === 'multiple' ? [...q.answer.slice(0, -1), option.id] : [option.id];
    }
    if (correct) score += 1;
    push(t, 'quiz.answer', { chosen, correct, ms } satisfies EventData<'quiz.answer'>, q.id);
    t += rng.int(2000, 6000);
  }
  const percent = Math.round((score / questions.length) * 100);
  push(t, 'quiz.finish', { score, total: questions.length, percent, passed: percent >= quiz.passPercent } satisfies EventData<'quiz.finish'>);
  return { t, completed: true };
}

const FIXED_CLOCK: Clock = { now: () => Date.parse('2026-01-01T00:00:00.000Z'), monotonic: () => 0 };

/**
 * Fills an already-migrated (or empty) kiosk log with realistic, deterministic visits of a pack: the
 * report, its tests and its bench all read the same kind of data the kiosk writes, through the real
 * schema and a valid hash chain. Visits of one kiosk never overlap; `seq` follows time.
 */
export function writeSyntheticLog(db: Database, options: SyntheticLogOptions): { visits: number; events: number } {
  if ((db.pragma('user_version', { simple: true }) as number) === 0) migrate(db);
  ensureKioskIdentity(db, FIXED_CLOCK);
  const pack = options.pack ?? loadBundledPack();
  const rng = prng(options.seed ?? 1);
  const days = options.days ?? Math.max(7, Math.ceil(options.visits / 150));
  const offsetMin = options.utcOffsetMin ?? 480;
  const startDayMs = Date.parse(`${options.startDay ?? '2026-03-02'}T00:00:00.000Z`);
  const activities = new Map<string, Activity>(pack.activities.map((a) => [a.id, a]));
  // Weekends are busier; the quiz and the emergencies exhibit draw the most people.
  const dayWeights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(startDayMs + d * 86_400_000).getUTCDay();
    return [d, weekday === 0 || weekday === 6 ? 1.6 : 1] as const;
  });
  const exhibitWeights = pack.exhibits.map((e, i) => [e, e.id === 'quiz' ? 3 : e.id === 'emergencies' ? 2.5 : 1 + (i % 3) * 0.4] as const);

  // Start times first, sorted, so visits (and therefore seq) run forward in time.
  const starts = Array.from({ length: options.visits }, () => {
    const day = rng.weighted(dayWeights);
    const hour = rng.weighted(HOUR_WEIGHTS);
    const localMs = startDayMs + day * 86_400_000 + hour * 3_600_000 + rng.int(0, 3_599_999);
    return localMs - offsetMin * 60_000;
  }).sort((a, b) => a - b);

  const lastRow = db.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  let seq = lastRow?.seq ?? 0;
  let head = lastRow?.hash ?? GENESIS_HASH;
  const insertVisit = db.prepare(
    'INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min, ended_at, end_reason, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = db.prepare(
    'INSERT INTO event (seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAudit = db.prepare('INSERT INTO audit (at, actor, action, ok, detail) VALUES (?, ?, ?, ?, ?)');

  let events = 0;
  let previousEnd = 0;
  let idCounter = 0;
  const writeVisit = (plannedStart: number): void => {
    const startMs = Math.max(plannedStart, previousEnd + 2000);
    const visitId = syntheticUuidv7(rng, startMs, idCounter++);
    const startLocale: Locale = rng.chance(0.72) ? 'zh-CN' : 'en';
    let locale = startLocale;
    const pending: PendingEvent[] = [];
    let exhibitId: string | null = null;
    let activityId: string | null = null;
    const push = (tMs: number, type: EventType, data: unknown, itemId?: string) =>
      pending.push({ tMs, type, exhibitId, activityId, itemId: itemId ?? null, data });
    push(0, 'visit.start', { locale } satisfies EventData<'visit.start'>);
    let t = 0;
    let endReason: EndReason;
    if (rng.chance(0.17)) {
      // A bounce: someone touched the screen and walked off.
      t = rng.int(1500, 9500);
      endReason = rng.chance(0.7) ? 'idle' : 'home';
    } else {
      if (rng.chance(0.06)) {
        t += rng.int(1000, 4000);
        const to: Locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
        push(t, 'locale.change', { from: locale, to } satisfies EventData<'locale.change'>);
        locale = to;
      }
      const exhibitCount = rng.weighted([[1, 5], [2, 4], [3, 2], [4, 1]] as const);
      let quizFinished = false;
      for (let e = 0; e < exhibitCount; e += 1) {
        const exhibit = rng.weighted(exhibitWeights);
        exhibitId = exhibit.id;
        activityId = null;
        t += rng.int(2000, 8000);
        push(t, 'exhibit.open', {} satisfies EventData<'exhibit.open'>);
        const opens = rng.weighted([[0, 1], [1, 6], [2, 3]] as const);
        for (let a = 0; a < opens; a += 1) {
          const activity = activities.get(rng.pick(exhibit.activities));
          if (!activity) continue;
          activityId = activity.id;
          t += rng.int(1500, 6000);
          const openedAt = t;
          push(t, 'activity.open', { activityType: activity.type } satisfies EventData<'activity.open'>);
          let completed = false;
          if (activity.type === 'video') t = videoEvents(rng, activity, push, t);
          else if (activity.type === 'scenario') ({ t, completed } = scenarioEvents(rng, activity, push, t));
          else if (activity.type === 'quiz') {
            ({ t, completed } = quizEvents(rng, activity, push, t));
            quizFinished ||= completed;
          } else {
            t += rng.int(8000, 60000);
            if (activity.qr && rng.chance(0.3)) push(t, 'article.qr.show', { url: activity.qr.url } satisfies EventData<'article.qr.show'>);
          }
          t += rng.int(1000, 4000);
          const reason = completed ? 'completed' : rng.chance(0.85) ? 'back' : 'home';
          push(t, 'activity.close', { reason, ms: t - openedAt } satisfies EventData<'activity.close'>);
          activityId = null;
        }
      }
      exhibitId = null;
      endReason = rng.weighted([['idle', 55], ['home', 24], ['completed', quizFinished ? 40 : 6], ['recovered', 2], ['shutdown', 1]] as const);
    }
    // An idle ending is noticed only after the idle timeout; a crash ends the visit at its last event.
    const durationMs = endReason === 'idle' ? t + 60_000 : endReason === 'recovered' ? t : t + rng.int(500, 3000);
    push(durationMs, 'visit.end', { reason: endReason } satisfies EventData<'visit.end'>);
    insertVisit.run(
      visitId, pack.id, pack.version, startLocale,
      new Date(startMs).toISOString(), offsetMin, new Date(startMs + durationMs).toISOString(), endReason, durationMs,
    );
    for (const event of pending) {
      seq += 1;
      const atMs = startMs + event.tMs;
      const row: ChainedRow = {
        seq,
        event_id: syntheticUuidv7(rng, atMs, idCounter++),
        visit_id: visitId,
        at: new Date(atMs).toISOString(),
        t_ms: event.tMs,
        type: event.type,
        exhibit_id: event.exhibitId,
        activity_id: event.activityId,
        item_id: event.itemId,
        data: JSON.stringify(event.data),
      };
      head = chainHash(head, row);
      insertEvent.run(row.seq, row.event_id, row.visit_id, row.at, row.t_ms, row.type, row.exhibit_id, row.activity_id, row.item_id, row.data, head);
    }
    events += pending.length;
    previousEnd = startMs + durationMs;
    // Now and then the kiosk's clock is found to have jumped (no NTP): the kiosk records it in the audit.
    if (rng.chance(0.0015)) {
      insertAudit.run(new Date(previousEnd + 60_000).toISOString(), 'system', 'clock.jump', 1, JSON.stringify({ wallDeltaMs: rng.int(-7_200_000, 7_200_000), monotonicDeltaMs: 1_000 }));
    }
  };

  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  // A generated log can be regenerated: no need to wait for the disk on every commit.
  db.pragma('synchronous = OFF');
  try {
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) writeVisit(starts[i]!);
    });
    for (let i = 0; i < starts.length; i += 2000) batch(i, Math.min(starts.length, i + 2000));
  } finally {
    db.pragma(`synchronous = ${synchronous}`);
  }
  return { visits: options.visits, events };
}

export interface SyntheticFleetKiosk extends Omit<SyntheticLogOptions, 'pack'> {
  label: string;
  location: string;
  /** Events left out of the merge (a bundle never delivered), as an inclusive seq range. */
  missingSeqs?: readonly [number, number];
}

/**
 * A fleet database as `kiosk logs merge` leaves it: the fleet schema and application_id, and the rows of
 * several synthetic kiosks, each with its own kiosk_id, label and location.
 */
export function writeSyntheticFleet(db: Database, kiosks: readonly SyntheticFleetKiosk[], pack?: PackManifest): { visits: number; events: number } {
  migrate(db, FLEET_MIGRATIONS);
  db.pragma(`application_id = ${FLEET_APPLICATION_ID}`);
  let visits = 0;
  let events = 0;
  for (const kiosk of kiosks) {
    const source = new BetterSqlite3(':memory:');
    try {
      writeSyntheticLog(source, { ...kiosk, pack });
      const { kiosk_id: id, public_key: publicKey } = source.prepare('SELECT kiosk_id, public_key FROM kiosk').get() as { kiosk_id: string; public_key: string };
      const [from, to] = kiosk.missingSeqs ?? [0, -1];
      db.transaction(() => {
        db.prepare('INSERT INTO fleet_kiosk (kiosk_id, label, location, public_key, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)').run(
          id, kiosk.label, kiosk.location, publicKey, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
        );
        const columns = 'visit_id, pack_id, pack_version, locale, started_at, utc_offset_min, ended_at, end_reason, duration_ms';
        const insertVisit = db.prepare(`INSERT INTO fleet_visit (kiosk_id, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const v of source.prepare(`SELECT ${columns} FROM visit`).raw().iterate() as IterableIterator<unknown[]>) {
          insertVisit.run(id, ...v);
          visits += 1;
        }
        const insertEvent = db.prepare('INSERT INTO fleet_event (kiosk_id, seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        for (const e of source.prepare('SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash FROM event ORDER BY seq').raw().iterate() as IterableIterator<[number, ...unknown[]]>) {
          if (e[0] >= from && e[0] <= to) continue;
          insertEvent.run(id, ...e);
          events += 1;
        }
        const insertAudit = db.prepare('INSERT INTO fleet_audit (kiosk_id, audit_id, at, actor, action, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const a of source.prepare('SELECT audit_id, at, actor, action, ok, detail FROM audit').raw().iterate() as IterableIterator<unknown[]>) insertAudit.run(id, ...a);
      })();
    } finally {
      source.close();
    }
  }
  return { visits, events };
}

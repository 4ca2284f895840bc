import type { Database } from 'better-sqlite3';
import type { EndReason, EventType } from '../../common/events';
import { KioskError, type EndedVisit, type StartedVisit } from '../../common/kiosk-api';
import type { ClientEvent } from '../../common/events';
import type { Locale } from '../../common/locales';
import { isoUtc, utcOffsetMinutes, type Clock } from '../clock';
import { uuidv7 } from '../uuidv7';
import { chainHash, GENESIS_HASH, type ChainedRow } from './event-chain';

interface NewEvent {
  type: EventType;
  tMs: number;
  exhibitId?: string | undefined;
  activityId?: string | undefined;
  itemId?: string | undefined;
  data: unknown;
}

interface VisitRow {
  visit_id: string;
  started_at: string;
  ended_at: string | null;
  end_reason: EndReason | null;
  duration_ms: number | null;
}

export interface VisitLog {
  startVisit(pack: { id: string; version: string }, locale: Locale): StartedVisit;
  logEvents(visitId: string, events: ClientEvent[]): { acknowledged: number; held: number; lastSeq: number };
  /** Writes accepted but waiting for disk space (see LoggedEvents.held). */
  heldWrites(): number;
  endVisit(visitId: string, reason: EndReason): EndedVisit;
  /**
   * Closes every open visit: `recovered` for those a crash or power cut left behind (they end at their
   * last event), `shutdown` for those open when the kiosk is stopped (they end now). Returns how many.
   */
  closeOpenVisits(reason: 'recovered' | 'shutdown'): number;
  counts(sinceIso: string): { visitsSince: number; visitsTotal: number; eventsTotal: number };
}

/**
 * The append-only visit log. Every write is one transaction that extends the hash chain; a call returns
 * only after SQLite committed it (synchronous=FULL), which is what "acknowledged" means to the renderer.
 */
export function createVisitLog(db: Database, clock: Clock): VisitLog {
  // Visit durations come from the monotonic clock, which survives wall-clock jumps but not a restart.
  const monotonicStarts = new Map<string, number>();

  const lastHash = db.prepare('SELECT hash FROM event ORDER BY seq DESC LIMIT 1');
  const lastSeq = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'event'), 0) AS seq");
  // The chain's head is kept in memory (this process is the log's only writer) and re-read whenever a
  // transaction rolls back, so a failed write can never leave it ahead of the database.
  const readHead = () => ({
    seq: (lastSeq.get() as { seq: number }).seq,
    hash: (lastHash.get() as { hash: string } | undefined)?.hash ?? GENESIS_HASH,
  });
  let head = readHead();
  const write = <T>(work: () => T): T => {
    try {
      return db.transaction(work)();
    } catch (error) {
      head = readHead();
      throw error;
    }
  };
  const insertEvent = db.prepare(`
    INSERT INTO event (seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertVisit = db.prepare(`
    INSERT INTO visit (visit_id, pack_id, pack_version, locale, started_at, utc_offset_min)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const getVisit = db.prepare('SELECT visit_id, started_at, ended_at, end_reason, duration_ms FROM visit WHERE visit_id = ?');
  const closeVisit = db.prepare('UPDATE visit SET ended_at = ?, end_reason = ?, duration_ms = ? WHERE visit_id = ?');
  const openVisits = db.prepare(`
    SELECT v.visit_id AS visitId, MAX(e.t_ms) AS lastTMs, MAX(e.at) AS lastAt
    FROM visit v LEFT JOIN event e ON e.visit_id = v.visit_id
    WHERE v.ended_at IS NULL GROUP BY v.visit_id`);
  const countVisitsSince = db.prepare('SELECT COUNT(*) AS n FROM visit WHERE started_at >= ?');
  const countVisits = db.prepare('SELECT COUNT(*) AS n FROM visit');
  const countEvents = db.prepare('SELECT COUNT(*) AS n FROM event');

  const append = (visitId: string, event: NewEvent, atMs: number): number => {
    const seq = head.seq + 1;
    const row: ChainedRow = {
      seq,
      event_id: uuidv7(atMs),
      visit_id: visitId,
      at: isoUtc(atMs),
      t_ms: Math.round(event.tMs),
      type: event.type,
      exhibit_id: event.exhibitId ?? null,
      activity_id: event.activityId ?? null,
      item_id: event.itemId ?? null,
      data: JSON.stringify(event.data ?? {}),
    };
    const hash = chainHash(head.hash, row);
    insertEvent.run(row.seq, row.event_id, row.visit_id, row.at, row.t_ms, row.type, row.exhibit_id, row.activity_id, row.item_id, row.data, hash);
    head = { seq, hash };
    return seq;
  };

  const findVisit = (visitId: string): VisitRow => {
    const visit = getVisit.get(visitId) as VisitRow | undefined;
    if (!visit) throw new KioskError('not-found', `No visit ${visitId}`);
    return visit;
  };

  const endOpen = (visitId: string, reason: EndReason, durationMs: number, endedAtMs: number): void => {
    append(visitId, { type: 'visit.end', tMs: durationMs, data: { reason } }, endedAtMs);
    closeVisit.run(isoUtc(endedAtMs), reason, durationMs, visitId);
    monotonicStarts.delete(visitId);
  };

  return {
    startVisit(pack, locale) {
      const nowMs = clock.now();
      const visitId = uuidv7(nowMs);
      write(() => {
        insertVisit.run(visitId, pack.id, pack.version, locale, isoUtc(nowMs), utcOffsetMinutes(nowMs));
        append(visitId, { type: 'visit.start', tMs: 0, data: { locale } }, nowMs);
      });
      monotonicStarts.set(visitId, clock.monotonic());
      return { visitId, startedAt: isoUtc(nowMs) };
    },

    logEvents(visitId, events) {
      const visit = findVisit(visitId);
      if (visit.ended_at) throw new KioskError('bad-request', `Visit ${visitId} has already ended`);
      const nowMs = clock.now();
      const seq = write(() => {
        let last = 0;
        for (const event of events) last = append(visitId, event, nowMs);
        return last;
      });
      return { acknowledged: events.length, held: 0, lastSeq: seq };
    },

    endVisit(visitId, reason) {
      const visit = findVisit(visitId);
      // Ending twice (a retried call) answers with the first ending instead of failing.
      if (visit.ended_at) return { visitId, endedAt: visit.ended_at, durationMs: visit.duration_ms ?? 0 };
      const nowMs = clock.now();
      const start = monotonicStarts.get(visitId);
      const durationMs =
        start === undefined ? Math.max(0, nowMs - Date.parse(visit.started_at)) : Math.round(clock.monotonic() - start);
      write(() => endOpen(visitId, reason, durationMs, nowMs));
      return { visitId, endedAt: isoUtc(nowMs), durationMs };
    },

    closeOpenVisits(reason) {
      const open = openVisits.all() as { visitId: string; lastTMs: number | null; lastAt: string | null }[];
      const nowMs = clock.now();
      write(() => {
        for (const visit of open) {
          const start = monotonicStarts.get(visit.visitId);
          if (reason === 'shutdown' && start !== undefined) {
            endOpen(visit.visitId, reason, Math.round(clock.monotonic() - start), nowMs);
          } else {
            // A crashed visit ends at its last event: the time after it is unknown, not visiting.
            endOpen(visit.visitId, reason, visit.lastTMs ?? 0, visit.lastAt ? Date.parse(visit.lastAt) : nowMs);
          }
        }
      });
      return open.length;
    },

    heldWrites() {
      return 0;
    },

    counts(sinceIso) {
      return {
        visitsSince: (countVisitsSince.get(sinceIso) as { n: number }).n,
        visitsTotal: (countVisits.get() as { n: number }).n,
        eventsTotal: (countEvents.get() as { n: number }).n,
      };
    },
  };
}

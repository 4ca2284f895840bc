import type { Database } from 'better-sqlite3';
import type { ClientEvent, EndReason, EventType } from '../../common/events';
import { KioskError, type EndedVisit, type KioskNotice, type StartedVisit } from '../../common/kiosk-api';
import type { Locale } from '../../common/locales';
import { isoUtc, utcOffsetMinutes, type Clock } from '../clock';
import { uuidv7 } from '../uuidv7';
import { createAuditLog } from './audit-log';
import { createClockWatch, type ClockJump } from './clock-watch';
import { chainHash, GENESIS_HASH, type ChainedRow } from './event-chain';
import { createHeldAudit, describeError, HeldQueue, isStorageFailure, type HeldAudit } from './held-writes';

export type { ClockJump } from './clock-watch';

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

/**
 * One accepted write, with everything it needs captured when it was accepted (wall time, the duration
 * from the monotonic clock), so writing it later stores what happened then. Seq and hash are not part
 * of it: they are assigned only when the row really goes to disk, which keeps the chain gapless.
 */
type WriteOp =
  | { kind: 'start'; visitId: string; pack: { id: string; version: string }; locale: Locale; atMs: number }
  | { kind: 'events'; visitId: string; events: ClientEvent[]; atMs: number }
  | { kind: 'end'; visitId: string; startedAt: string; reason: EndReason; durationMs: number; atMs: number };

const rowsOf = (op: WriteOp): number => (op.kind === 'events' ? op.events.length : 1);

/** Why the log is not writing, for staff: since when, and what the disk answered. */
export interface StorageProblem {
  since: string;
  detail: string;
}

export interface VisitLog {
  startVisit(pack: { id: string; version: string }, locale: Locale): StartedVisit;
  logEvents(visitId: string, events: ClientEvent[]): { acknowledged: number; held: number; lastSeq: number };
  /** Rows (events, visit starts and ends) accepted but waiting for disk space (see LoggedEvents.held). */
  heldWrites(): number;
  /** Tries to write the held rows now (a timer does it too); returns how many still wait. */
  retryHeldWrites(): number;
  /** Set while writes are held because the disk refused them; null once everything is written. */
  storageProblem(): StorageProblem | null;
  /** The newest wall-clock jump seen since this log was opened (including one found at start). */
  lastClockJump(): ClockJump | null;
  /** storageProblem() and lastClockJump() worded for staff, ready for KioskStatus.notices. */
  notices(): KioskNotice[];
  endVisit(visitId: string, reason: EndReason): EndedVisit;
  /**
   * Closes every open visit: `recovered` for those a crash or power cut left behind (they end at their
   * last event), `shutdown` for those open when the kiosk is stopped (they end now). Returns how many.
   */
  closeOpenVisits(reason: 'recovered' | 'shutdown'): number;
  counts(sinceIso: string): { visitsSince: number; visitsTotal: number; eventsTotal: number };
}

export interface VisitLogOptions {
  /** Where 'storage.full', 'storage.recovered' and 'clock.jump' go; by default the database's audit table. */
  audit?: HeldAudit;
  /** How often held writes are retried without waiting for the next visitor write; 0 = only on writes. */
  retryEveryMs?: number;
  /** Rows held in memory at most; beyond it writes are refused with 'storage-full'. */
  maxHeldRows?: number;
  /** Disagreement between wall and monotonic time between two writes that counts as a clock jump. */
  clockJumpThresholdMs?: number;
}

export const DEFAULT_MAX_HELD_ROWS = 50_000;
const DEFAULT_RETRY_MS = 5_000;
/** Rows per transaction when draining held writes: few fsyncs, yet no long lock on the database. */
const DRAIN_ROWS = 2_000;

/**
 * The append-only visit log. Every write is one transaction that extends the hash chain; a call returns
 * only after SQLite committed it (synchronous=FULL), which is what "acknowledged" means to the renderer.
 *
 * When the disk is full the visitor must not notice: writes are then held in memory, in order, answered
 * as accepted (`held`), and written when space returns; any write accepted meanwhile queues behind them.
 */
export function createVisitLog(db: Database, clock: Clock, options: VisitLogOptions = {}): VisitLog {
  const retryEveryMs = options.retryEveryMs ?? DEFAULT_RETRY_MS;
  const held = new HeldQueue<WriteOp>(options.maxHeldRows ?? DEFAULT_MAX_HELD_ROWS);
  const audit = options.audit ?? createHeldAudit(createAuditLog(db, clock), clock);
  // Visit durations come from the monotonic clock, which survives wall-clock jumps but not a restart.
  const monotonicStarts = new Map<string, number>();
  /**
   * What a visit will look like once the held writes are on disk (a visit may exist only in memory, or
   * be ended only in memory). Read before the database; emptied when nothing is held any more.
   */
  const heldVisits = new Map<string, { startedAt: string; ended: EndedVisit | null }>();
  let problem: (StorageProblem & { heldRowsTotal: number; sinceMono: number }) | null = null;
  let retryTimer: ReturnType<typeof setInterval> | null = null;

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
    SELECT v.visit_id AS visitId, v.started_at AS startedAt, MAX(e.t_ms) AS lastTMs, MAX(e.at) AS lastAt
    FROM visit v LEFT JOIN event e ON e.visit_id = v.visit_id
    WHERE v.ended_at IS NULL GROUP BY v.visit_id`);
  const newestEventAt = db.prepare('SELECT at FROM event ORDER BY seq DESC LIMIT 1');
  const countVisitsSince = db.prepare('SELECT COUNT(*) AS n FROM visit WHERE started_at >= ?');
  const countVisits = db.prepare('SELECT COUNT(*) AS n FROM visit');
  const countEvents = db.prepare('SELECT COUNT(*) AS n FROM event');

  const clockWatch = createClockWatch(clock, {
    thresholdMs: options.clockJumpThresholdMs,
    newestEventAt: (newestEventAt.get() as { at: string } | undefined)?.at ?? null,
  });
  const recordJump = (jump: ClockJump | null) => {
    if (jump) audit.record({ actor: 'system', action: 'clock.jump', ok: true, detail: { ...jump } });
  };
  recordJump(clockWatch.atStart);

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

  /** Puts one accepted write on disk (inside the caller's transaction); returns the newest seq. */
  const apply = (op: WriteOp): number => {
    switch (op.kind) {
      case 'start':
        insertVisit.run(op.visitId, op.pack.id, op.pack.version, op.locale, isoUtc(op.atMs), utcOffsetMinutes(op.atMs));
        return append(op.visitId, { type: 'visit.start', tMs: 0, data: { locale: op.locale } }, op.atMs);
      case 'events': {
        let seq = head.seq;
        for (const event of op.events) seq = append(op.visitId, event, op.atMs);
        return seq;
      }
      case 'end': {
        const seq = append(op.visitId, { type: 'visit.end', tMs: op.durationMs, data: { reason: op.reason } }, op.atMs);
        closeVisit.run(isoUtc(op.atMs), op.reason, op.durationMs, op.visitId);
        return seq;
      }
    }
  };

  const stopRetrying = () => {
    if (retryTimer) clearInterval(retryTimer);
    retryTimer = null;
  };

  const recovered = () => {
    if (!problem) return;
    const { since, heldRowsTotal, sinceMono } = problem;
    problem = null;
    heldVisits.clear();
    stopRetrying();
    // Held audit rows (the 'storage.full' of this episode among them) go first, so the trail reads in order.
    audit.flush();
    audit.record({
      actor: 'system',
      action: 'storage.recovered',
      ok: true,
      detail: { since, heldRows: heldRowsTotal, heldForMs: Math.round(clock.monotonic() - sinceMono) },
    });
  };

  /** Writes held rows, oldest first, one transaction per chunk, until done or the disk refuses again. */
  const drain = (): void => {
    let chunkRows = DRAIN_ROWS;
    while (held.length > 0) {
      const chunk = held.front(chunkRows);
      try {
        write(() => {
          for (const op of chunk) apply(op);
        });
        held.shift(chunk.length);
        chunkRows = DRAIN_ROWS;
      } catch (error) {
        if (isStorageFailure(error)) {
          if (problem) problem.detail = describeError(error);
          return;
        }
        if (chunk.length > 1) {
          // Something in the chunk is wrong rather than the disk: find it by writing one at a time.
          chunkRows = 0;
          continue;
        }
        // A held write the database refuses for good would block every later one forever: drop it loudly.
        const [op] = chunk;
        console.error(`A held ${op!.kind} write for visit ${op!.visitId} was refused and dropped: ${describeError(error)}`);
        audit.record({
          actor: 'system',
          action: 'storage.dropped',
          ok: false,
          detail: { visitId: op!.visitId, kind: op!.kind, rows: rowsOf(op!), error: describeError(error) },
        });
        held.shift(1);
      }
    }
    recovered();
  };

  const retryHeldWrites = (): number => {
    if (held.length > 0) drain();
    else if (audit.waiting > 0) audit.flush();
    return held.rows;
  };

  const startRetrying = () => {
    if (retryTimer || retryEveryMs <= 0) return;
    retryTimer = setInterval(() => {
      // A timer must never throw into the event loop, and must stop once the kiosk closed the database.
      if (!db.open) return stopRetrying();
      try {
        retryHeldWrites();
      } catch (error) {
        console.error(`Retrying held writes failed: ${describeError(error)}`);
      }
    }, retryEveryMs);
    retryTimer.unref?.();
  };

  const hold = (ops: WriteOp[], error: unknown, force: boolean): void => {
    const rows = ops.reduce((n, op) => n + rowsOf(op), 0);
    if (!force && !held.fits(rows)) {
      throw new KioskError(
        'storage-full',
        `The disk is full and ${held.rows} records are already waiting in memory (at most ${held.maxRows}); ` +
          'nothing more can be accepted until space is freed on the data disk.',
      );
    }
    if (!problem) {
      const since = isoUtc(clock.now());
      problem = { since, detail: describeError(error), heldRowsTotal: 0, sinceMono: clock.monotonic() };
      console.warn(`The visit log cannot write (${problem.detail}); writes are held in memory until space returns.`);
      audit.record({ actor: 'system', action: 'storage.full', ok: false, detail: { since, error: problem.detail } });
    }
    problem.heldRowsTotal += rows;
    for (const op of ops) {
      held.push(op, rowsOf(op));
      if (op.kind === 'start') heldVisits.set(op.visitId, { startedAt: isoUtc(op.atMs), ended: null });
      if (op.kind === 'end') {
        heldVisits.set(op.visitId, {
          startedAt: op.startedAt,
          ended: { visitId: op.visitId, endedAt: isoUtc(op.atMs), durationMs: op.durationMs },
        });
      }
    }
    startRetrying();
  };

  /**
   * Writes now when nothing is held (or the held rows could be written first); otherwise, or when the
   * disk refuses, holds the writes behind the others. `force` skips the memory cap (shutdown, recovery).
   */
  const submit = (ops: WriteOp[], force = false): { written: boolean; lastSeq: number } => {
    if (held.length > 0) drain();
    if (held.length === 0) {
      try {
        const seq = write(() => {
          let last = head.seq;
          for (const op of ops) last = apply(op);
          return last;
        });
        if (audit.waiting > 0) audit.flush();
        return { written: true, lastSeq: seq };
      } catch (error) {
        if (!isStorageFailure(error)) throw error;
        hold(ops, error, force);
        return { written: false, lastSeq: head.seq };
      }
    }
    hold(ops, new Error(problem?.detail ?? 'earlier writes are still held'), force);
    return { written: false, lastSeq: head.seq };
  };

  const visitState = (visitId: string): { startedAt: string; ended: EndedVisit | null } => {
    const pending = heldVisits.get(visitId);
    if (pending) return pending;
    const visit = getVisit.get(visitId) as VisitRow | undefined;
    if (!visit) throw new KioskError('not-found', `No visit ${visitId}`);
    return {
      startedAt: visit.started_at,
      ended: visit.ended_at ? { visitId, endedAt: visit.ended_at, durationMs: visit.duration_ms ?? 0 } : null,
    };
  };

  /** Where a visit's last event is, counting held events too: a crashed visit ends there. */
  const lastEventOf = (visitId: string, fromDb: { lastTMs: number | null; lastAt: string | null }) => {
    let lastTMs = fromDb.lastTMs;
    let lastAtMs = fromDb.lastAt ? Date.parse(fromDb.lastAt) : null;
    for (const op of held.all()) {
      if (op.visitId !== visitId || op.kind === 'end') continue;
      const tMs = op.kind === 'start' ? 0 : Math.max(...op.events.map((e) => Math.round(e.tMs)));
      lastTMs = Math.max(lastTMs ?? 0, tMs);
      lastAtMs = Math.max(lastAtMs ?? 0, op.atMs);
    }
    return { lastTMs, lastAtMs };
  };

  const notices = (): KioskNotice[] => {
    const list: KioskNotice[] = [];
    if (problem) {
      list.push({
        code: 'storage-full',
        at: problem.since,
        detail:
          `The visit log cannot write to the disk (${problem.detail}). ${held.rows} record(s) are kept in memory ` +
          `and will be written when space is freed; at ${held.maxRows} the kiosk stops accepting more.`,
      });
    }
    const jump = clockWatch.latest();
    if (jump) {
      const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
      list.push({
        code: 'clock-jump',
        at: jump.at,
        detail:
          `The clock jumped from ${jump.from} to ${jump.to}` +
          (jump.monotonicDeltaMs === null
            ? ' while the kiosk was off (it is earlier than the newest event).'
            : ` (it moved ${minutes(jump.wallDeltaMs)} while ${minutes(jump.monotonicDeltaMs)} passed).`) +
          ' Times are stored as the clock showed them; order and durations are not affected.',
      });
    }
    return list;
  };

  return {
    startVisit(pack, locale) {
      recordJump(clockWatch.observe());
      const nowMs = clock.now();
      const visitId = uuidv7(nowMs);
      submit([{ kind: 'start', visitId, pack, locale, atMs: nowMs }]);
      monotonicStarts.set(visitId, clock.monotonic());
      return { visitId, startedAt: isoUtc(nowMs) };
    },

    logEvents(visitId, events) {
      recordJump(clockWatch.observe());
      if (visitState(visitId).ended) throw new KioskError('bad-request', `Visit ${visitId} has already ended`);
      const { written, lastSeq } = submit([{ kind: 'events', visitId, events, atMs: clock.now() }]);
      return written ? { acknowledged: events.length, held: 0, lastSeq } : { acknowledged: 0, held: events.length, lastSeq };
    },

    endVisit(visitId, reason) {
      recordJump(clockWatch.observe());
      const visit = visitState(visitId);
      // Ending twice (a retried call) answers with the first ending instead of failing.
      if (visit.ended) return visit.ended;
      const nowMs = clock.now();
      const start = monotonicStarts.get(visitId);
      const durationMs =
        start === undefined ? Math.max(0, nowMs - Date.parse(visit.startedAt)) : Math.round(clock.monotonic() - start);
      submit([{ kind: 'end', visitId, startedAt: visit.startedAt, reason, durationMs, atMs: nowMs }]);
      monotonicStarts.delete(visitId);
      return { visitId, endedAt: isoUtc(nowMs), durationMs };
    },

    closeOpenVisits(reason) {
      recordJump(clockWatch.observe());
      const nowMs = clock.now();
      const monoNow = clock.monotonic();
      const open = new Map<string, { startedAt: string; lastTMs: number | null; lastAt: string | null }>();
      for (const row of openVisits.all() as { visitId: string; startedAt: string; lastTMs: number | null; lastAt: string | null }[]) {
        open.set(row.visitId, row);
      }
      for (const [visitId, visit] of heldVisits) {
        if (visit.ended) open.delete(visitId);
        else if (!open.has(visitId)) open.set(visitId, { startedAt: visit.startedAt, lastTMs: null, lastAt: null });
      }
      const ops: WriteOp[] = [];
      for (const [visitId, visit] of open) {
        const start = monotonicStarts.get(visitId);
        if (reason === 'shutdown' && start !== undefined) {
          ops.push({ kind: 'end', visitId, startedAt: visit.startedAt, reason, durationMs: Math.round(monoNow - start), atMs: nowMs });
        } else {
          // A crashed visit ends at its last event: the time after it is unknown, not visiting.
          const last = lastEventOf(visitId, visit);
          ops.push({ kind: 'end', visitId, startedAt: visit.startedAt, reason, durationMs: last.lastTMs ?? 0, atMs: last.lastAtMs ?? nowMs });
        }
        monotonicStarts.delete(visitId);
      }
      if (ops.length > 0) submit(ops, true);
      else if (held.length > 0) drain();
      if (reason === 'shutdown') {
        stopRetrying();
        if (held.rows > 0) console.error(`The disk is still full: ${held.rows} held record(s) are lost as the kiosk stops.`);
      }
      return ops.length;
    },

    heldWrites: () => held.rows,
    retryHeldWrites,
    storageProblem: () => (problem ? { since: problem.since, detail: problem.detail } : null),
    lastClockJump: () => clockWatch.latest(),
    notices,

    counts(sinceIso) {
      return {
        visitsSince: (countVisitsSince.get(sinceIso) as { n: number }).n,
        visitsTotal: (countVisits.get() as { n: number }).n,
        eventsTotal: (countEvents.get() as { n: number }).n,
      };
    },
  };
}

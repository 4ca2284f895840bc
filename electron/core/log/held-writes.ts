import type { Clock } from '../clock';
import type { AuditLog, AuditRecord } from './audit-log';

/**
 * Errors that mean "the disk cannot take this write now" rather than "this write is wrong": a full disk
 * (SQLite maps ENOSPC to SQLITE_FULL; PRAGMA max_page_count gives the same code), or the OS refusing a
 * write or flush. Retrying later can succeed, so such writes are held instead of failing the visitor.
 */
const STORAGE_CODES = new Set([
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_FSYNC',
  'SQLITE_IOERR_DIR_FSYNC',
  'SQLITE_IOERR_TRUNCATE',
  'SQLITE_IOERR_SHMSIZE',
  'ENOSPC',
  'EDQUOT',
]);

export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.has(code);
}

export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/**
 * A FIFO of writes waiting for space, weighed in rows so the cap bounds memory whatever the batch sizes.
 * Items leave only from the front, and only once written, so the order on disk is the order accepted.
 */
export class HeldQueue<T> {
  private items: { item: T; rows: number }[] = [];
  private rowCount = 0;

  constructor(readonly maxRows: number) {}

  /** Rows waiting. */
  get rows(): number {
    return this.rowCount;
  }

  get length(): number {
    return this.items.length;
  }

  fits(rows: number): boolean {
    return this.rowCount + rows <= this.maxRows;
  }

  push(item: T, rows: number): void {
    this.items.push({ item, rows });
    this.rowCount += rows;
  }

  /** The first items up to about `maxRows` rows (always at least one), for one transaction. */
  front(maxRows: number): T[] {
    const out: T[] = [];
    let rows = 0;
    for (const entry of this.items) {
      if (out.length > 0 && rows + entry.rows > maxRows) break;
      out.push(entry.item);
      rows += entry.rows;
    }
    return out;
  }

  /** Drops the first `count` items: they are on disk now (or could never be). */
  shift(count: number): void {
    for (const entry of this.items.splice(0, count)) this.rowCount -= entry.rows;
  }

  all(): readonly T[] {
    return this.items.map((entry) => entry.item);
  }
}

/** How many audit records wait for space at most; older ones are dropped first, with a warning. */
const MAX_HELD_AUDIT = 200;

export interface HeldAudit {
  /** Records now, or holds the record while the disk is full. Never throws: this runs on a visitor's path. */
  record(entry: AuditRecord): void;
  /** The audit trail as written so far, newest first (held entries are not in it yet). */
  recent: AuditLog['recent'];
  /** Writes the held records, oldest first; false while the disk is still full. */
  flush(): boolean;
  readonly waiting: number;
}

/**
 * Audit entries (the kiosk's own, like a full disk or a clock jump, and staff actions) must not break the
 * visit or the admin task they were noticed in, and the disk that refused events refuses audit rows too:
 * they wait here, stamped with the time they happened, and are written after the held events. One is
 * shared by the visit log and the service (see openKiosk), so the trail keeps one order.
 */
export function createHeldAudit(
  audit: AuditLog,
  clock: Pick<Clock, 'now'>,
  warn: (message: string) => void = (m) => console.warn(m),
): HeldAudit {
  const waiting: AuditRecord[] = [];
  const tryWrite = (entry: AuditRecord): 'written' | 'full' => {
    try {
      audit.record(entry);
      return 'written';
    } catch (error) {
      if (isStorageFailure(error)) return 'full';
      // Anything else would fail again on retry: say so and carry on with the visit.
      warn(`Audit entry ${entry.action} could not be written and was dropped (${describeError(error)})`);
      return 'written';
    }
  };
  const flush = (): boolean => {
    while (waiting.length > 0) {
      if (tryWrite(waiting[0]!) === 'full') return false;
      waiting.shift();
    }
    return true;
  };
  return {
    record(happened) {
      const entry = { ...happened, at: happened.at ?? clock.now() };
      if (flush() && tryWrite(entry) === 'written') return;
      if (waiting.length >= MAX_HELD_AUDIT) {
        const dropped = waiting.shift()!;
        warn(`The disk is full: audit entry ${dropped.action} was dropped to bound memory`);
      }
      waiting.push(entry);
    },
    flush,
    recent: (limit, actions) => audit.recent(limit, actions),
    get waiting() {
      return waiting.length;
    },
  };
}

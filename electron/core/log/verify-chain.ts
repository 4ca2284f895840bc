import type { Database } from 'better-sqlite3';
import { chainHash, GENESIS_HASH, type ChainedRow } from './event-chain';

export type ChainVerdict = { ok: true; events: number; head: string } | { ok: false; events: number; brokenAtSeq: number; reason: string };

/**
 * Walks the whole event chain in seq order; the first row whose hash does not follow is where it broke.
 * Deleting the newest rows breaks no later hash, so the tail is checked against SQLite's AUTOINCREMENT
 * counter, which remembers the highest seq ever handed out.
 */
export function verifyChain(db: Database): ChainVerdict {
  let previous = GENESIS_HASH;
  let previousSeq = 0;
  let count = 0;
  const rows = db
    .prepare('SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash FROM event ORDER BY seq')
    .iterate() as IterableIterator<ChainedRow & { hash: string }>;
  for (const row of rows) {
    count += 1;
    if (row.seq <= previousSeq) return { ok: false, events: count, brokenAtSeq: row.seq, reason: 'sequence out of order' };
    const expected = chainHash(previous, row);
    if (expected !== row.hash) {
      return { ok: false, events: count, brokenAtSeq: row.seq, reason: 'hash does not match the row and its predecessor' };
    }
    previous = row.hash;
    previousSeq = row.seq;
  }
  const issued = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'event'").get() as { seq: number } | undefined;
  if (issued && issued.seq > previousSeq) {
    return { ok: false, events: count, brokenAtSeq: previousSeq + 1, reason: `the newest events (seq ${previousSeq + 1}–${issued.seq}) are missing` };
  }
  return { ok: true, events: count, head: previous };
}

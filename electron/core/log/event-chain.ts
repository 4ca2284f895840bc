import { createHash } from 'node:crypto';

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedRow {
  seq: number;
  event_id: string;
  visit_id: string;
  at: string;
  t_ms: number;
  type: string;
  exhibit_id: string | null;
  activity_id: string | null;
  item_id: string | null;
  data: string;
}

/** A fixed field order, so the same row always hashes the same whatever produced it. */
export function canonicalRow(row: ChainedRow): string {
  return JSON.stringify([
    row.seq,
    row.event_id,
    row.visit_id,
    row.at,
    row.t_ms,
    row.type,
    row.exhibit_id,
    row.activity_id,
    row.item_id,
    row.data,
  ]);
}

/** hash = sha256(previous hash ‖ canonical row): editing or deleting any row breaks every later hash. */
export function chainHash(previous: string, row: ChainedRow): string {
  return createHash('sha256').update(previous).update('\n').update(canonicalRow(row)).digest('hex');
}

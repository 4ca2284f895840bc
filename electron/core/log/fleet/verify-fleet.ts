import type { Database } from 'better-sqlite3';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../event-chain';
import { fleetHoldings, type SeqRange } from './fleet-gaps';

export interface KioskChainVerdict {
  kioskId: string;
  label: string;
  events: number;
  /** The first seq whose hash does not follow from the row before it (or from genesis at seq 1). */
  brokenAtSeq: number | null;
  missing: SeqRange[];
}

export interface FleetVerdict {
  /** No broken chain; gaps are reported but are not tampering (a bundle may simply not have arrived). */
  ok: boolean;
  kiosks: KioskChainVerdict[];
}

/**
 * Walks each kiosk's chain in the fleet from its first stored seq. Across a gap the link cannot be
 * checked (the rows in between are missing), so the walk restarts from the first row after it.
 */
export function verifyFleet(db: Database): FleetVerdict {
  const rows = db.prepare(
    'SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash FROM fleet_event WHERE kiosk_id = ? ORDER BY seq',
  );
  const kiosks = fleetHoldings(db).map((kiosk): KioskChainVerdict => {
    let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
    let brokenAtSeq: number | null = null;
    for (const row of rows.iterate(kiosk.kioskId) as IterableIterator<ChainedRow & { hash: string }>) {
      if (row.seq === previous.seq + 1 && chainHash(previous.hash, row) !== row.hash) {
        brokenAtSeq = row.seq;
        break;
      }
      previous = row;
    }
    return { kioskId: kiosk.kioskId, label: kiosk.label, events: kiosk.events, brokenAtSeq, missing: kiosk.missing };
  });
  return { ok: kiosks.every((kiosk) => kiosk.brokenAtSeq === null), kiosks };
}

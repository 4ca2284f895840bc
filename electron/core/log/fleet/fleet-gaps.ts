import type { Database } from 'better-sqlite3';

export interface SeqRange {
  from: number;
  to: number;
}

export interface KioskHoldings {
  kioskId: string;
  label: string;
  location: string;
  events: number;
  /** Runs of consecutive seqs the fleet holds, in order. */
  held: SeqRange[];
  /** Seqs up to the newest one held or announced by a bundle that no merged bundle brought: a bundle that never arrived. */
  missing: SeqRange[];
}

/**
 * What the fleet holds of each kiosk, as runs of consecutive seqs (gaps and islands: seq minus its rank
 * is constant within a run). A kiosk's seqs start at 1, so anything before the first run is missing too.
 */
export function fleetHoldings(db: Database, kioskIds?: readonly string[]): KioskHoldings[] {
  const kiosks = db.prepare('SELECT kiosk_id AS kioskId, label, location FROM fleet_kiosk ORDER BY label, kiosk_id').all() as {
    kioskId: string;
    label: string;
    location: string;
  }[];
  const runs = db.prepare(`
    SELECT MIN(seq) AS "from", MAX(seq) AS "to", COUNT(*) AS n
    FROM (SELECT seq, seq - ROW_NUMBER() OVER (ORDER BY seq) AS run FROM fleet_event WHERE kiosk_id = ?)
    GROUP BY run ORDER BY 1`);
  // An empty bundle still says how far the kiosk had got, so seqs up to its head count as missing too.
  const announcedHead = db.prepare('SELECT COALESCE(MAX(to_seq), 0) AS head FROM fleet_bundle WHERE kiosk_id = ?');
  return kiosks
    .filter((kiosk) => !kioskIds || kioskIds.includes(kiosk.kioskId))
    .map((kiosk) => {
      const held = runs.all(kiosk.kioskId) as (SeqRange & { n: number })[];
      const missing: SeqRange[] = [];
      let next = 1;
      for (const run of held) {
        if (run.from > next) missing.push({ from: next, to: run.from - 1 });
        next = run.to + 1;
      }
      const { head } = announcedHead.get(kiosk.kioskId) as { head: number };
      if (head >= next) missing.push({ from: next, to: head });
      return {
        ...kiosk,
        events: held.reduce((sum, run) => sum + run.n, 0),
        held: held.map(({ from, to }) => ({ from, to })),
        missing,
      };
    });
}

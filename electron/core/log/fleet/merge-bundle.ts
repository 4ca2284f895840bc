import type { Database } from 'better-sqlite3';
import { createPublicKey } from 'node:crypto';
import { basename, join } from 'node:path';
import { isoUtc } from '../../clock';
import { auditLineSchema, eventLineSchema, visitLineSchema, type BundleManifest } from '../bundle/bundle-format';
import { describeBundleProblem, type BundleProblem, type ProblemLang } from '../bundle/bundle-problems';
import { readLines } from '../bundle/ndjson-file';
import { sha256File } from '../../packs/pack-files';
import { openBundle } from '../bundle/verify-bundle';
import { chainHash, type ChainedRow } from '../event-chain';
import { fleetHoldings, type KioskHoldings } from './fleet-gaps';

/** Why a bundle that verified on its own still cannot join this fleet. */
export type FleetProblem =
  | { code: 'key-mismatch'; kioskId: string }
  | { code: 'prev-mismatch'; seq: number }
  | { code: 'next-mismatch'; seq: number }
  | { code: 'seq-conflict'; seq: number };

export type MergeProblem = BundleProblem | FleetProblem;

interface BundleFacts {
  file: string;
  kioskId: string;
  fromSeq: number;
  toSeq: number;
  /** Events in the bundle. */
  events: number;
}

export type MergeOutcome =
  | (BundleFacts & { status: 'merged'; inserted: number; duplicates: number; visits: number; audit: number })
  | (BundleFacts & { status: 'already-merged'; inserted: 0; duplicates: number })
  | { status: 'refused'; file: string; kioskId: string | null; problems: MergeProblem[] };

export interface MergeReport {
  bundles: MergeOutcome[];
  /** Every kiosk the fleet holds, with the seq ranges still missing. */
  kiosks: KioskHoldings[];
}

export function describeMergeProblem(problem: MergeProblem, lang: ProblemLang): string {
  const zh = lang === 'zh-CN';
  switch (problem.code) {
    case 'key-mismatch':
      return zh
        ? `展台 ${problem.kioskId} 的同步包用的是另一把密钥，与汇总数据库第一次收到的不同：可能是伪造的`
        : `This bundle for kiosk ${problem.kioskId} is signed with another key than the one the fleet first saw for it: it may be forged`;
    case 'prev-mismatch':
      return zh
        ? `与已汇总的数据接不上：已有的序号 ${problem.seq} 的哈希不等于同步包的起始哈希`
        : `Does not follow what the fleet holds: the stored hash of seq ${problem.seq} is not the bundle's prevHash`;
    case 'next-mismatch':
      return zh
        ? `与已汇总的数据接不上：已有的序号 ${problem.seq} 不是接在同步包的最后一个事件之后`
        : `Does not lead into what the fleet holds: the stored seq ${problem.seq} does not follow the bundle's head hash`;
    case 'seq-conflict':
      return zh
        ? `序号 ${problem.seq} 在汇总数据库里已有另一个不同的事件（同一展台的日志出现了分叉）`
        : `The fleet already holds a different event at seq ${problem.seq} (the kiosk's log has forked)`;
    default:
      return describeBundleProblem(problem, lang);
  }
}

class MergeConflict extends Error {
  constructor(readonly problem: FleetProblem) {
    super(problem.code);
  }
}

function sameKey(a: string, b: string): boolean {
  try {
    const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return der(a).equals(der(b));
  } catch {
    return false;
  }
}

function statements(db: Database) {
  return {
    knownBundle: db.prepare('SELECT kiosk_id AS kioskId, from_seq AS fromSeq, to_seq AS toSeq, events FROM fleet_bundle WHERE bundle_sha256 = ?'),
    kioskKey: db.prepare('SELECT public_key AS publicKey FROM fleet_kiosk WHERE kiosk_id = ?'),
    eventAt: db.prepare('SELECT seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash FROM fleet_event WHERE kiosk_id = ? AND seq = ?'),
    upsertKiosk: db.prepare(`
      INSERT INTO fleet_kiosk (kiosk_id, label, location, public_key, first_seen, last_seen) VALUES (@id, @label, @location, @key, @at, @at)
      ON CONFLICT (kiosk_id) DO UPDATE SET
        label = CASE WHEN excluded.last_seen >= last_seen THEN excluded.label ELSE label END,
        location = CASE WHEN excluded.last_seen >= last_seen THEN excluded.location ELSE location END,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen)`),
    // A visit seen open in one bundle and ended in a later one: the ended row wins, in either order.
    upsertVisit: db.prepare(`
      INSERT INTO fleet_visit (kiosk_id, visit_id, pack_id, pack_version, locale, started_at, utc_offset_min, ended_at, end_reason, duration_ms)
      VALUES (@kiosk_id, @visit_id, @pack_id, @pack_version, @locale, @started_at, @utc_offset_min, @ended_at, @end_reason, @duration_ms)
      ON CONFLICT (visit_id) DO UPDATE SET ended_at = excluded.ended_at, end_reason = excluded.end_reason, duration_ms = excluded.duration_ms
      WHERE fleet_visit.kiosk_id = excluded.kiosk_id AND fleet_visit.ended_at IS NULL AND excluded.ended_at IS NOT NULL`),
    insertEvent: db.prepare(`
      INSERT INTO fleet_event (kiosk_id, seq, event_id, visit_id, at, t_ms, type, exhibit_id, activity_id, item_id, data, hash)
      VALUES (@kiosk_id, @seq, @event_id, @visit_id, @at, @t_ms, @type, @exhibit_id, @activity_id, @item_id, @data, @hash)
      ON CONFLICT DO NOTHING`),
    storedHash: db.prepare('SELECT hash FROM fleet_event WHERE kiosk_id = ? AND seq = ?'),
    insertAudit: db.prepare(`
      INSERT INTO fleet_audit (kiosk_id, audit_id, at, actor, action, ok, detail) VALUES (@kiosk_id, @audit_id, @at, @actor, @action, @ok, @detail)
      ON CONFLICT DO NOTHING`),
    recordBundle: db.prepare(`
      INSERT INTO fleet_bundle (bundle_sha256, kiosk_id, from_seq, to_seq, events, inserted, file_name, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  };
}
type Statements = ReturnType<typeof statements>;

/** The checks against what the fleet already holds: the kiosk's first key, and the chain on either side. */
function fleetProblems(sql: Statements, manifest: BundleManifest): FleetProblem[] {
  const kioskId = manifest.kiosk.id;
  const known = sql.kioskKey.get(kioskId) as { publicKey: string } | undefined;
  if (known && !sameKey(known.publicKey, manifest.kiosk.publicKey)) return [{ code: 'key-mismatch', kioskId }];
  const problems: FleetProblem[] = [];
  const before = sql.storedHash.get(kioskId, manifest.seq.from - 1) as { hash: string } | undefined;
  if (before && before.hash !== manifest.seq.prevHash) problems.push({ code: 'prev-mismatch', seq: manifest.seq.from - 1 });
  const after = sql.eventAt.get(kioskId, manifest.seq.to + 1) as (ChainedRow & { hash: string }) | undefined;
  if (after && chainHash(manifest.seq.headHash, after) !== after.hash) problems.push({ code: 'next-mismatch', seq: manifest.seq.to + 1 });
  return problems;
}

/**
 * Imports one verified bundle in a single transaction: a crash or a conflict half way leaves the fleet
 * as it was. Events are keyed by event_id and (kiosk, seq); a row already held with the same hash is a
 * duplicate (a re-sent bundle), a different one at the same seq is a fork and refuses the whole bundle.
 * The transaction stays open across the awaits of reading the files, which is safe because this
 * connection is the merge's own.
 */
async function importBundle(db: Database, sql: Statements, dir: string, manifest: BundleManifest, file: string, sha256: string, now: number) {
  const kiosk_id = manifest.kiosk.id;
  db.exec('BEGIN IMMEDIATE');
  try {
    sql.upsertKiosk.run({ id: kiosk_id, label: manifest.kiosk.label, location: manifest.kiosk.location, key: manifest.kiosk.publicKey, at: manifest.createdAt });
    let visits = 0;
    for await (const { text } of readLines(join(dir, 'visits.ndjson'))) {
      sql.upsertVisit.run({ kiosk_id, ...visitLineSchema.parse(JSON.parse(text)) });
      visits += 1;
    }
    let inserted = 0;
    let duplicates = 0;
    for await (const { text } of readLines(join(dir, 'events.ndjson'))) {
      const row = eventLineSchema.parse(JSON.parse(text));
      if (sql.insertEvent.run({ kiosk_id, ...row }).changes === 1) {
        inserted += 1;
        continue;
      }
      const stored = sql.storedHash.get(kiosk_id, row.seq) as { hash: string } | undefined;
      if (stored?.hash !== row.hash) throw new MergeConflict({ code: 'seq-conflict', seq: row.seq });
      duplicates += 1;
    }
    let audit = 0;
    for await (const { text } of readLines(join(dir, 'audit.ndjson'))) {
      audit += sql.insertAudit.run({ kiosk_id, ...auditLineSchema.parse(JSON.parse(text)) }).changes;
    }
    sql.recordBundle.run(sha256, kiosk_id, manifest.seq.from, manifest.seq.to, manifest.counts.events, inserted, basename(file), isoUtc(now));
    db.exec('COMMIT');
    return { inserted, duplicates, visits, audit };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

async function alreadyMerged(sql: Statements, file: string): Promise<MergeOutcome | null> {
  let sha256: string;
  try {
    sha256 = await sha256File(file);
  } catch {
    return null; // openBundle reports the unreadable file in the reader's words
  }
  const row = sql.knownBundle.get(sha256) as { kioskId: string; fromSeq: number; toSeq: number; events: number } | undefined;
  return row ? { status: 'already-merged', file, ...row, inserted: 0, duplicates: row.events } : null;
}

/** Verifies a bundle completely, then (only if nothing is wrong) imports it. */
async function mergeOne(db: Database, sql: Statements, file: string, now: number): Promise<MergeOutcome> {
  // A file merged before is recognised by its hash alone, before anything is unpacked.
  const known = await alreadyMerged(sql, file);
  if (known) return known;
  const bundle = await openBundle(file);
  try {
    const { manifest } = bundle;
    const kioskId = manifest?.kiosk.id ?? null;
    if (bundle.problems.length > 0 || !manifest) return { status: 'refused', file, kioskId, problems: bundle.problems };
    const facts: BundleFacts = { file, kioskId: manifest.kiosk.id, fromSeq: manifest.seq.from, toSeq: manifest.seq.to, events: manifest.counts.events };
    const problems = fleetProblems(sql, manifest);
    if (problems.length > 0) return { status: 'refused', file, kioskId, problems };
    try {
      return { ...facts, status: 'merged', ...(await importBundle(db, sql, bundle.dir, manifest, file, bundle.sha256, now)) };
    } catch (error) {
      if (error instanceof MergeConflict) return { status: 'refused', file, kioskId, problems: [error.problem] };
      throw error;
    }
  } finally {
    await bundle.dispose();
  }
}

/**
 * `kiosk logs merge`: each bundle on its own — a bad one is refused and reported while the good ones in
 * the same run still go in — then the seq gaps of every kiosk the fleet holds.
 */
export async function mergeBundles(
  db: Database,
  files: readonly string[],
  options: { now: number; onBundle?: (outcome: MergeOutcome, index: number) => void },
): Promise<MergeReport> {
  const sql = statements(db);
  const bundles: MergeOutcome[] = [];
  for (const [index, file] of files.entries()) {
    const outcome = await mergeOne(db, sql, file, options.now);
    bundles.push(outcome);
    options.onBundle?.(outcome, index);
  }
  return { bundles, kiosks: fleetHoldings(db) };
}

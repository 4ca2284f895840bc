import type { Database } from 'better-sqlite3';
import { KioskError } from '../../common/envelope';
import { isoUtc, type Clock } from '../clock';
import { createAuditLog, type AuditActor } from '../log/audit-log';
import { hashPin } from './pin-hash';
import type { LockoutState } from './pin-lockout';

/** The contract's rule for a PIN, repeated here for callers that do not pass through its schemas (the CLI). */
export const PIN_PATTERN = /^\d{4,12}$/;

export interface StoredPin {
  hash: string;
  lockout: LockoutState;
  changedAt: string;
}

export interface PinStore {
  get(): StoredPin | null;
  /** Writes the first PIN; false when one exists already (two first-start setups racing). */
  create(hash: string, changedAt: string): boolean;
  /** Replaces the PIN and clears any lockout. */
  replace(hash: string, changedAt: string): void;
  saveLockout(state: LockoutState): void;
}

interface PinRow {
  pin_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  changed_at: string;
}

/** The admin_pin singleton of migration 0003: the hash and the lockout state, so a restart resets neither. */
export function createPinStore(db: Database): PinStore {
  const select = db.prepare('SELECT pin_hash, failed_attempts, locked_until, changed_at FROM admin_pin WHERE singleton = 1');
  const insert = db.prepare(
    'INSERT INTO admin_pin (singleton, pin_hash, failed_attempts, locked_until, changed_at) VALUES (1, ?, 0, NULL, ?) ON CONFLICT DO NOTHING',
  );
  const upsert = db.prepare(`
    INSERT INTO admin_pin (singleton, pin_hash, failed_attempts, locked_until, changed_at) VALUES (1, ?, 0, NULL, ?)
    ON CONFLICT (singleton) DO UPDATE SET pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = NULL,
      changed_at = excluded.changed_at`);
  const lockout = db.prepare('UPDATE admin_pin SET failed_attempts = ?, locked_until = ? WHERE singleton = 1');
  return {
    get() {
      const row = select.get() as PinRow | undefined;
      if (!row) return null;
      return {
        hash: row.pin_hash,
        lockout: { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until === null ? null : Date.parse(row.locked_until) },
        changedAt: row.changed_at,
      };
    },
    create: (hash, changedAt) => insert.run(hash, changedAt).changes === 1,
    replace: (hash, changedAt) => void upsert.run(hash, changedAt),
    saveLockout: (state) => void lockout.run(state.failedAttempts, state.lockedUntil === null ? null : isoUtc(state.lockedUntil)),
  };
}

/**
 * Sets (or resets) the staff PIN from outside the admin screen: `kiosk admin set-pin` and test fixtures.
 * Whoever runs it owns the machine, so no current PIN is asked; any lockout is cleared and it is audited.
 */
export async function setAdminPin(db: Database, pin: string, clock: Clock, actor: AuditActor = 'cli'): Promise<void> {
  if (!PIN_PATTERN.test(pin)) throw new KioskError('bad-request', 'A PIN is 4 to 12 digits');
  const hash = await hashPin(pin);
  const store = createPinStore(db);
  const existed = store.get() !== null;
  db.transaction(() => {
    store.replace(hash, isoUtc(clock.now()));
    createAuditLog(db, clock).record({ actor, action: existed ? 'admin.pin.change' : 'admin.pin.set', detail: { via: actor } });
  })();
}

import type { Database } from 'better-sqlite3';
import type { AdminSession, AdminState, ChangePinArgs, SetupKioskArgs, UnlockAdminArgs } from '../../common/kiosk-api';
import { KioskError } from '../../common/envelope';
import { isoUtc, type Clock } from '../clock';
import type { KioskShell } from '../kiosk-shell';
import type { AuditLog } from '../log/audit-log';
import { isStorageFailure } from '../log/held-writes';
import { createAdminSessions, type AdminSessions } from './admin-sessions';
import { createPinStore, PIN_PATTERN, type StoredPin } from './admin-pin';
import { createKioskInfo } from './kiosk-info';
import { hashPin, verifyPin } from './pin-hash';
import { afterWrongPin, lockedUntil, UNLOCKED, type LockoutState } from './pin-lockout';

export interface AdminAccessDeps {
  db: Database;
  clock: Clock;
  /** Best a held audit (held-writes.ts), so a full disk cannot keep staff out of the screen that fixes it. */
  audit: Pick<AuditLog, 'record'>;
  shell?: KioskShell | undefined;
  sessions?: AdminSessions;
}

/** Who may act as staff: the PIN, its lockout and the sessions it opens. Every action here is audited. */
export interface AdminAccess {
  state(): AdminState;
  setup(args: SetupKioskArgs): Promise<AdminSession>;
  unlock(args: UnlockAdminArgs): Promise<AdminSession>;
  lock(session: string): void;
  changePin(args: ChangePinArgs): Promise<void>;
  /** Throws 'admin-required' unless the session is live, and keeps it alive a little longer. */
  requireSession(session: string): void;
}

function checkPinFormat(pin: string): void {
  // The transports' schemas check this already; core is also called directly (tests, the Electron main).
  if (!PIN_PATTERN.test(pin)) throw new KioskError('bad-request', 'A PIN is 4 to 12 digits');
}

export function createAdminAccess(deps: AdminAccessDeps): AdminAccess {
  const { clock, audit } = deps;
  const pins = createPinStore(deps.db);
  const info = createKioskInfo(deps.db);
  const sessions = deps.sessions ?? createAdminSessions(clock);
  // Sessions belong to the PIN they were opened with. Each new PIN has a new salted hash, so comparing
  // hashes also notices a PIN set by `kiosk admin set-pin` in another process while this one runs.
  let sessionsBelongTo = pins.get()?.hash ?? null;
  // A wrong attempt the full disk would not let us save still counts, or a full disk would lift the lockout.
  let unsaved: LockoutState | null = null;
  const followPin = (stored: StoredPin | null) => {
    const current = stored?.hash ?? null;
    if (current === sessionsBelongTo) return;
    sessions.endAllExcept(null);
    sessionsBelongTo = current;
    // A PIN set anew (from the command line) starts without a lockout.
    unsaved = null;
  };

  // PIN checks run one at a time: scrypt is asynchronous, and checks running side by side would all
  // read the same attempt count, so a burst of parallel guesses could slip past the lockout.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const saveLockout = (state: LockoutState) => {
    try {
      pins.saveLockout(state);
      unsaved = null;
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      unsaved = state;
    }
  };
  const lockoutOf = (stored: StoredPin): LockoutState =>
    unsaved && unsaved.failedAttempts > stored.lockout.failedAttempts ? unsaved : stored.lockout;

  /** Refuses while a lockout runs, then checks the PIN and counts a wrong one. Never records the PIN. */
  const checkPin = async (pin: string, action: string): Promise<StoredPin> => {
    const stored = pins.get();
    if (!stored) throw new KioskError('forbidden', 'No PIN is set yet: finish the first-start setup.');
    const lockout = lockoutOf(stored);
    const until = lockedUntil(lockout, clock.now());
    if (until !== null) {
      audit.record({ actor: 'staff', action, ok: false, detail: { result: 'locked-out', lockedUntil: isoUtc(until) } });
      throw new KioskError('locked-out', `Too many wrong PINs. Try again after ${isoUtc(until)}.`);
    }
    if (await verifyPin(pin, stored.hash)) {
      if (lockout.failedAttempts > 0) saveLockout(UNLOCKED);
      return stored;
    }
    const next = afterWrongPin(lockout, clock.now());
    saveLockout(next);
    const nextUntil = next.lockedUntil === null ? null : isoUtc(next.lockedUntil);
    audit.record({ actor: 'staff', action, ok: false, detail: { result: 'wrong-pin', failedAttempts: next.failedAttempts, lockedUntil: nextUntil } });
    throw new KioskError('wrong-pin', nextUntil ? `Wrong PIN. Try again after ${nextUntil}.` : 'Wrong PIN.');
  };

  const requireSession = (session: string) => {
    followPin(pins.get());
    if (!sessions.touch(session)) throw new KioskError('admin-required', 'Unlock the admin screen with the PIN first (the session is missing, expired or locked).');
  };

  return {
    state() {
      const stored = pins.get();
      const lockout = stored ? lockoutOf(stored) : UNLOCKED;
      const until = lockedUntil(lockout, clock.now());
      return {
        setupNeeded: stored === null,
        lockedUntil: until === null ? null : isoUtc(until),
        failedAttempts: lockout.failedAttempts,
        capabilities: { pickPath: typeof deps.shell?.pickPath === 'function', exit: typeof deps.shell?.exit === 'function' },
      };
    },
    setup: ({ pin, label, location }) =>
      oneAtATime(async () => {
        checkPinFormat(pin);
        if (pins.get()) throw new KioskError('forbidden', 'This kiosk is set up already: unlock it with its PIN.');
        const hash = await hashPin(pin);
        const created = deps.db.transaction(() => {
          if (!pins.create(hash, isoUtc(clock.now()))) return false;
          info.write({ label, location });
          return true;
        })();
        if (!created) throw new KioskError('forbidden', 'This kiosk is set up already: unlock it with its PIN.');
        audit.record({ actor: 'staff', action: 'admin.setup', detail: { label: label.trim(), location: location.trim() } });
        followPin(pins.get());
        return sessions.open();
      }),
    unlock: ({ pin }) =>
      oneAtATime(async () => {
        checkPinFormat(pin);
        const stored = await checkPin(pin, 'admin.unlock');
        followPin(stored);
        audit.record({ actor: 'staff', action: 'admin.unlock', detail: { result: 'ok' } });
        return sessions.open();
      }),
    lock(session) {
      requireSession(session);
      sessions.end(session);
      audit.record({ actor: 'staff', action: 'admin.lock' });
    },
    changePin: ({ session, currentPin, newPin }) =>
      oneAtATime(async () => {
        requireSession(session);
        checkPinFormat(newPin);
        await checkPin(currentPin, 'admin.pin.change');
        const hash = await hashPin(newPin);
        pins.replace(hash, isoUtc(clock.now()));
        unsaved = null;
        audit.record({ actor: 'staff', action: 'admin.pin.change', detail: { result: 'ok' } });
        // Whoever knew the old PIN and still has a session open elsewhere is out; this session stays.
        sessions.endAllExcept(session);
        sessionsBelongTo = hash;
      }),
    requireSession,
  };
}

import type { Database } from 'better-sqlite3';

/** How often the scheduler looks at the clock and the settings: a changed time takes effect within this. */
export const NIGHTLY_CHECK_MS = 60_000;
/** How long a restart waits for the open visit to end before it goes ahead anyway. */
export const MAX_POSTPONE_MS = 60 * 60_000;

/**
 * The first local wall-clock `HH:MM` strictly after `after`. Built from local date parts, so daylight
 * saving needs no arithmetic: a time skipped in spring moves forward with the clock, and a time that
 * happens twice in autumn restarts once (at its first occurrence).
 */
export function nextRestartAt(time: string, after: Date): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const at = (dayOffset: number) =>
    new Date(after.getFullYear(), after.getMonth(), after.getDate() + dayOffset, hours, minutes, 0, 0);
  const today = at(0);
  return today.getTime() > after.getTime() ? today : at(1);
}

export interface NightlyState {
  /** The setting the due time was computed from; a different setting means a fresh due time. */
  time: string | null;
  dueAt: Date | null;
  /** Whether the last check found the restart due but a visit open. */
  postponing: boolean;
}

export const NIGHTLY_IDLE: NightlyState = { time: null, dueAt: null, postponing: false };

export type NightlyAction =
  | { kind: 'off' }
  | { kind: 'wait' }
  | { kind: 'postpone' }
  /** Restart now; `forced` after an hour of waiting for a visit that never ended. */
  | { kind: 'restart'; forced: boolean }
  /** The machine slept or was off through the whole window: never restart hours late, in opening time. */
  | { kind: 'missed' };

export interface NightlyDecision {
  action: NightlyAction;
  state: NightlyState;
  /** When to look again. */
  nextCheckMs: number;
}

/**
 * One step of the nightly restart: given the current setting, the state of the previous step and the
 * time, what to do now. A restart never cuts a visit short unless that visit has been open for the whole
 * hour after the set time (a frozen or abandoned one), and a restart the kiosk slept through is skipped.
 */
export function decideNightlyRestart(
  time: string | null,
  previous: NightlyState,
  now: Date,
  hasOpenVisit: () => boolean,
): NightlyDecision {
  if (time === null) return { action: { kind: 'off' }, state: NIGHTLY_IDLE, nextCheckMs: NIGHTLY_CHECK_MS };
  const fresh = (): NightlyState => ({ time, dueAt: nextRestartAt(time, now), postponing: false });
  const state = previous.time === time && previous.dueAt ? previous : fresh();
  const dueAt = state.dueAt as Date;
  const late = now.getTime() - dueAt.getTime();
  if (late < 0) return { action: { kind: 'wait' }, state, nextCheckMs: Math.min(-late, NIGHTLY_CHECK_MS) };
  if (!state.postponing && late > MAX_POSTPONE_MS) return { action: { kind: 'missed' }, state: fresh(), nextCheckMs: NIGHTLY_CHECK_MS };
  if (!hasOpenVisit()) return { action: { kind: 'restart', forced: false }, state: fresh(), nextCheckMs: NIGHTLY_CHECK_MS };
  if (late + NIGHTLY_CHECK_MS > MAX_POSTPONE_MS) return { action: { kind: 'restart', forced: true }, state: fresh(), nextCheckMs: NIGHTLY_CHECK_MS };
  return { action: { kind: 'postpone' }, state: { ...state, postponing: true }, nextCheckMs: NIGHTLY_CHECK_MS };
}

export interface NightlyRestartOptions {
  /** Read on every check, so a time changed on the admin screen applies without a restart. */
  readTime(): string | null;
  hasOpenVisit(): boolean;
  /** Electron relaunches the app; browser mode starts a fresh browser. */
  restart(reason: { forced: boolean }): void | Promise<void>;
  log(line: string): void;
  now?: () => Date;
}

/** Runs the steps above on a timer until stopped. */
export function scheduleNightlyRestart(options: NightlyRestartOptions): { stop(): void } {
  const now = options.now ?? (() => new Date());
  let state = NIGHTLY_IDLE;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const check = async () => {
    timer = null;
    let nextCheckMs = NIGHTLY_CHECK_MS;
    try {
      const at = now();
      const decision = decideNightlyRestart(options.readTime(), state, at, options.hasOpenVisit);
      state = decision.state;
      nextCheckMs = decision.nextCheckMs;
      switch (decision.action.kind) {
        case 'postpone':
          options.log('Nightly restart postponed by a minute: a visit is open.');
          break;
        case 'missed':
          options.log(`Nightly restart skipped: the kiosk was not running at the set time. Next: ${state.dueAt?.toString()}.`);
          break;
        case 'restart':
          options.log(decision.action.forced ? 'Nightly restart after an hour of waiting for an open visit to end.' : 'Nightly restart.');
          await options.restart({ forced: decision.action.forced });
          break;
        default:
          break;
      }
    } catch (error) {
      options.log(`Nightly restart check failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void check(), nextCheckMs);
  };
  void check();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Whether a visitor is mid-visit, from the log itself (the idle timer ends abandoned visits). */
export function openVisitProbe(db: Database): () => boolean {
  const statement = db.prepare('SELECT EXISTS (SELECT 1 FROM visit WHERE ended_at IS NULL) AS open');
  return () => (statement.get() as { open: number }).open === 1;
}

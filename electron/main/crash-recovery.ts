export interface CrashPolicy {
  /** Pause before the first reload; each further crash in the window doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within `windowMs` and reloading is not helping: relaunch the whole app. */
  maxCrashes: number;
  windowMs: number;
  /** How long a hung page may stay hung (after Electron reports it) before it is killed and reloaded. */
  unresponsiveGraceMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  maxCrashes: 3,
  windowMs: 10 * 60_000,
  unresponsiveGraceMs: 5000,
};

export type RecoveryPlan = { action: 'reload'; delayMs: number } | { action: 'relaunch' };

/**
 * What to do about a crash at `now`, given the earlier ones. Crashes older than the window are forgotten,
 * so a kiosk that crashes once a week always gets the quick reload.
 */
export function planRecovery(earlierCrashes: readonly number[], now: number, policy: CrashPolicy): { plan: RecoveryPlan; crashes: number[] } {
  const crashes = [...earlierCrashes.filter((at) => now - at < policy.windowMs), now];
  if (crashes.length >= policy.maxCrashes) return { plan: { action: 'relaunch' }, crashes: [] };
  const delayMs = Math.min(policy.firstDelayMs * 2 ** (crashes.length - 1), policy.maxDelayMs);
  return { plan: { action: 'reload', delayMs }, crashes };
}

/** The slice of a WebContents recovery touches, so tests can pass a fake. */
export interface RecoverableContents {
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): void;
  on(event: 'unresponsive' | 'responsive', listener: () => void): void;
  reload(): void;
  forcefullyCrashRenderer(): void;
  isDestroyed(): boolean;
}

export interface CrashRecoveryOptions {
  /** Closes the visits the dead page had open as 'recovered'; returns how many. */
  recoverOpenVisits(): number;
  /** app.relaunch() and exit, after the log is closed. */
  relaunch(): void;
  log(line: string): void;
  policy?: Partial<CrashPolicy>;
}

/**
 * Keeps the kiosk page alive: a renderer that crashes is reloaded after a growing pause, one that hangs is
 * killed first (a reload alone would queue behind the hung page), and when reloading keeps failing the
 * whole app is relaunched. Either way the visit the visitor was in is closed as 'recovered', since the
 * reloaded page starts at the home screen.
 */
export function watchRenderer(contents: RecoverableContents, options: CrashRecoveryOptions): { stop(): void } {
  const policy = { ...DEFAULT_CRASH_POLICY, ...options.policy };
  let crashes: number[] = [];
  let reloadTimer: NodeJS.Timeout | null = null;
  let hangTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  const clearHang = () => {
    if (hangTimer) clearTimeout(hangTimer);
    hangTimer = null;
  };

  contents.on('render-process-gone', (_event, details) => {
    // A clean exit is the window closing with the app, not a crash.
    if (stopped || details.reason === 'clean-exit') return;
    clearHang();
    const recovered = options.recoverOpenVisits();
    const decided = planRecovery(crashes, Date.now(), policy);
    crashes = decided.crashes;
    const visits = `${recovered} open visit(s) closed as recovered`;
    if (decided.plan.action === 'relaunch') {
      options.log(`The kiosk page stopped (${details.reason}, exit ${details.exitCode}) ${policy.maxCrashes} times in ${policy.windowMs / 60_000} min; relaunching the app. ${visits}.`);
      stopped = true;
      options.relaunch();
      return;
    }
    options.log(`The kiosk page stopped (${details.reason}, exit ${details.exitCode}); reloading in ${decided.plan.delayMs} ms. ${visits}.`);
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      if (!stopped && !contents.isDestroyed()) contents.reload();
    }, decided.plan.delayMs);
  });

  contents.on('unresponsive', () => {
    if (stopped || hangTimer) return;
    hangTimer = setTimeout(() => {
      hangTimer = null;
      if (stopped || contents.isDestroyed()) return;
      options.log(`The kiosk page has not responded for ${policy.unresponsiveGraceMs} ms after Electron reported it hung; killing it.`);
      // Emits render-process-gone ('killed'), which reloads it like any other crash.
      contents.forcefullyCrashRenderer();
    }, policy.unresponsiveGraceMs);
  });
  contents.on('responsive', clearHang);

  return {
    stop() {
      stopped = true;
      clearHang();
      if (reloadTimer) clearTimeout(reloadTimer);
    },
  };
}

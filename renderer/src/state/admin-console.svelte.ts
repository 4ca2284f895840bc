import { KioskError, type ErrorCode } from '../../../electron/common/envelope';
import type { AdminState, KioskApi, KioskSettings, SetupKioskArgs } from '../../../electron/common/kiosk-api';
import type { Locale } from '../../../electron/common/locales';

export const ADMIN_TABS = ['status', 'settings', 'packs', 'exports', 'pin'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];
/** closed: visitors use the kiosk; pin: the PIN pad; setup: first start; open: the admin screen. */
export type AdminView = 'closed' | 'pin' | 'setup' | 'open';

/** What the admin needs from the visitor side (KioskSession provides it). */
export interface AdminHost {
  readonly locale: Locale;
  /** The admin takes the screen: the visitor idle timer must not reset the kiosk under staff's fingers. */
  suspendForAdmin(): void;
  /** The PIN pad was cancelled: whoever was using the kiosk carries on. */
  resumeVisit(): void;
  /** The admin closed: the next visitor starts fresh, with any new pack and settings. */
  startFresh(): Promise<void>;
  /** Saved settings take effect in the running visitor UI at once. */
  applySettings(settings: KioskSettings): void;
}

/** The line under the PIN pad: why the last attempt did not open the admin. */
export type PinNotice =
  | { kind: 'wrong'; attemptsLeft: number | null }
  | { kind: 'locked' }
  | { kind: 'session-ended' }
  | { kind: 'error'; code: ErrorCode | null; message: string };

export interface AdminConsoleOptions {
  /** An open admin left untouched this long locks itself and returns to the attract loop. */
  adminIdleMs?: number;
  /** A PIN pad left untouched this long closes (a curious visitor found the gesture and walked off). */
  pinIdleMs?: number;
  /**
   * Wrong PINs allowed before the kiosk starts locking out, to tell staff how many remain. The service
   * decides the real policy; null shows no count rather than a wrong one.
   */
  freeAttempts?: number | null;
  clock?: () => number;
}

export function errorCode(error: unknown): ErrorCode | null {
  return error instanceof KioskError ? error.code : null;
}

/**
 * The staff admin's state machine: hidden gesture → PIN pad → admin screen → leave, plus first-start
 * setup. It owns the admin session token; every admin call goes through `call`, so an expired session
 * anywhere brings the PIN pad back instead of a dead screen.
 */
export class AdminConsole {
  view = $state<AdminView>('closed');
  tab = $state<AdminTab>('status');
  locale = $state<Locale>('zh-CN');
  adminState = $state<AdminState | null>(null);
  notice = $state<PinNotice | null>(null);
  busy = $state(false);
  /** False until the kiosk has said whether it needs first-start setup: nothing shows before that. */
  ready = $state(false);
  /** Wall-clock time, ticking while the admin shows, so a lockout's countdown counts down. */
  now = $state(0);
  private session: string | null = null;
  /** Whether staff got past the PIN since the gesture: then cancelling must not hand back a half-visit. */
  private unlocked = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private readonly adminIdleMs: number;
  private readonly pinIdleMs: number;
  private readonly freeAttempts: number | null;
  private readonly clock: () => number;

  constructor(
    /** The tabs make their own calls, through `call` whenever a session is needed. */
    readonly api: KioskApi,
    private readonly host: AdminHost,
    options: AdminConsoleOptions = {},
  ) {
    this.adminIdleMs = options.adminIdleMs ?? 180_000;
    this.pinIdleMs = options.pinIdleMs ?? 60_000;
    this.freeAttempts = options.freeAttempts ?? null;
    this.clock = options.clock ?? (() => Date.now());
    this.now = this.clock();
  }

  /** Seconds until PIN attempts are accepted again; 0 when not locked out. */
  get lockoutSecondsLeft(): number {
    const until = this.adminState?.lockedUntil;
    if (!until) return 0;
    return Math.max(0, Math.ceil((Date.parse(until) - this.now) / 1000));
  }

  get canExit(): boolean {
    return this.adminState?.capabilities.exit ?? false;
  }

  get canPickPath(): boolean {
    return this.adminState?.capabilities.pickPath ?? false;
  }

  /** At start: a kiosk without a PIN shows setup before any visitor can use it. */
  async checkSetup(): Promise<void> {
    try {
      this.adminState = await this.api.getAdminState();
      if (this.adminState.setupNeeded) {
        this.locale = this.host.locale;
        this.host.suspendForAdmin();
        this.show('setup');
      }
    } catch (error) {
      // The visitor UI must still come up; staff see the problem when they open the admin.
      console.error(error);
    } finally {
      this.ready = true;
    }
  }

  /** The hidden gesture was made. */
  async openFromGesture(): Promise<void> {
    if (this.view !== 'closed') return;
    this.locale = this.host.locale;
    this.notice = null;
    this.host.suspendForAdmin();
    this.show('pin');
    try {
      this.adminState = await this.api.getAdminState();
      if (this.adminState.setupNeeded) this.show('setup');
    } catch (error) {
      this.notice = { kind: 'error', code: errorCode(error), message: (error as Error).message };
    }
  }

  cancelPin(): void {
    if (this.view !== 'pin') return;
    const unlocked = this.unlocked;
    this.close();
    if (unlocked) void this.host.startFresh();
    else this.host.resumeVisit();
  }

  /** True when the PIN opened the admin. */
  async submitPin(pin: string): Promise<boolean> {
    if (this.busy || this.lockoutSecondsLeft > 0) return false;
    this.busy = true;
    try {
      const opened = await this.api.unlockAdmin({ pin });
      this.session = opened.session;
      this.unlocked = true;
      this.notice = null;
      this.tab = 'status';
      this.show('open');
      void this.refreshState();
      return true;
    } catch (error) {
      const code = errorCode(error);
      await this.refreshState();
      if (code === 'wrong-pin' || code === 'locked-out') {
        const failed = this.adminState?.failedAttempts ?? 0;
        this.notice =
          this.lockoutSecondsLeft > 0
            ? { kind: 'locked' }
            : { kind: 'wrong', attemptsLeft: this.freeAttempts === null ? null : Math.max(0, this.freeAttempts - failed) };
      } else {
        this.notice = { kind: 'error', code, message: (error as Error).message };
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** First start: PIN, label and location in one go; the admin opens on the status tab afterwards. */
  async setup(args: SetupKioskArgs): Promise<void> {
    const opened = await this.api.setupKiosk(args);
    this.session = opened.session;
    this.unlocked = true;
    this.tab = 'status';
    this.show('open');
    await this.refreshState();
  }

  /**
   * Runs an admin call with the session. An expired or locked session sends staff back to the PIN pad
   * (the server ends sessions after idle minutes too); other errors reach the caller to show in place.
   */
  async call<T>(run: (session: string) => Promise<T>): Promise<T> {
    if (!this.session) {
      this.sessionEnded();
      throw new KioskError('admin-required', 'No admin session');
    }
    try {
      return await run(this.session);
    } catch (error) {
      if (errorCode(error) === 'admin-required') this.sessionEnded();
      throw error;
    }
  }

  /** Settings were saved: the visitor side takes them now, not at the next restart. */
  applySettings(settings: KioskSettings): void {
    this.host.applySettings(settings);
  }

  /** Any touch while the admin shows: staff are still here. */
  poke(): void {
    if (this.view === 'closed') return;
    this.armIdle();
  }

  switchLanguage(): void {
    this.locale = this.locale === 'zh-CN' ? 'en' : 'zh-CN';
  }

  /** Leave admin: the session is locked and the kiosk starts fresh for visitors. */
  async leave(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.close();
    if (session) {
      try {
        await this.api.lockAdmin({ session });
      } catch (error) {
        // The session expires on its own anyway; leaving must never leave staff stuck in the admin.
        console.error(error);
      }
    }
    await this.host.startFresh();
  }

  async exitKiosk(): Promise<void> {
    await this.call((session) => this.api.exitKiosk({ session }));
  }

  async refreshState(): Promise<void> {
    try {
      this.adminState = await this.api.getAdminState();
      this.now = this.clock();
    } catch (error) {
      console.error(error);
    }
  }

  private sessionEnded(): void {
    this.session = null;
    this.notice = { kind: 'session-ended' };
    this.show('pin');
  }

  private show(view: Exclude<AdminView, 'closed'>): void {
    this.view = view;
    this.armIdle();
    this.ticker ??= setInterval(() => (this.now = this.clock()), 250);
  }

  private close(): void {
    this.view = 'closed';
    this.unlocked = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.ticker) clearInterval(this.ticker);
    this.idleTimer = null;
    this.ticker = null;
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    // Setup has no way out but finishing it: a kiosk without a PIN must not slip back to visitors.
    if (this.view === 'setup') return;
    const ms = this.view === 'open' ? this.adminIdleMs : this.pinIdleMs;
    this.idleTimer = setTimeout(() => {
      if (this.view === 'pin') this.cancelPin();
      else if (this.view === 'open') void this.leave();
    }, ms);
  }
}

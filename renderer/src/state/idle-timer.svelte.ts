/**
 * Walk-away detection: after `idleMs` without a touch the kiosk asks "Are you still there?" for
 * `countdownMs`, then calls `onExpire`. Any touch during either phase starts over.
 */
export class IdleTimer {
  phase = $state<'off' | 'active' | 'warning'>('off');
  secondsLeft = $state(0);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private deadline = 0;
  private held = 0;

  constructor(
    private idleMs: number,
    private countdownMs: number,
    private readonly onExpire: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  configure(idleMs: number, countdownMs: number): void {
    this.idleMs = idleMs;
    this.countdownMs = countdownMs;
    if (this.phase !== 'off') this.poke();
  }

  start(): void {
    this.poke();
  }

  /** A touch, a key, or a playing video: the visitor is here. */
  poke(): void {
    this.clear();
    this.phase = 'active';
    if (this.held > 0) return;
    this.timer = setTimeout(() => this.warn(), this.idleMs);
  }

  /** While something holds the timer (a video playing), it never fires; releasing restarts the wait. */
  hold(): () => void {
    this.held += 1;
    this.poke();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
      if (this.phase !== 'off') this.poke();
    };
  }

  stop(): void {
    this.clear();
    this.phase = 'off';
  }

  private warn(): void {
    this.phase = 'warning';
    this.deadline = this.now() + this.countdownMs;
    const tick = () => {
      const left = this.deadline - this.now();
      this.secondsLeft = Math.max(0, Math.ceil(left / 1000));
      if (left <= 0) {
        this.stop();
        this.onExpire();
      }
    };
    tick();
    this.ticker = setInterval(tick, 250);
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    this.timer = null;
    this.ticker = null;
  }
}

import type { ClientEvent } from '../../../electron/common/events';
import type { ActivePack, KioskApi, KioskSettings } from '../../../electron/common/kiosk-api';
import type { Locale } from '../../../electron/common/locales';
import type { Activity, Exhibit } from '../../../electron/common/pack-schema';
import { EventQueue } from './event-queue';
import { IdleTimer } from './idle-timer.svelte';

export type Screen =
  | { name: 'attract' }
  | { name: 'language' }
  | { name: 'home' }
  | { name: 'exhibit'; exhibitId: string }
  | { name: 'activity'; exhibitId: string; activityId: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventWithoutTime = DistributiveOmit<ClientEvent, 'tMs'>;

/**
 * One visitor's journey through the kiosk, from the attract loop to walking away. It owns the visit in
 * the log: every screen change that matters becomes an event, and a reset always ends the visit first.
 */
export class KioskSession {
  screen = $state<Screen>({ name: 'attract' });
  locale = $state<Locale>('zh-CN');
  pack = $state<ActivePack | null>(null);
  settings = $state<KioskSettings | null>(null);
  loadError = $state<string | null>(null);
  readonly idle: IdleTimer;
  /** Larger type for visitors who need it; reset for the next visitor. */
  largeText = $state(false);
  private visit: { id: string; startedAt: number } | null = null;
  private openedActivity: { exhibitId: string; activityId: string; at: number } | null = null;
  private starting: Promise<void> | null = null;
  private readonly queue: EventQueue;

  constructor(
    private readonly api: KioskApi,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.queue = new EventQueue(api);
    this.idle = new IdleTimer(90_000, 10_000, () => void this.reset('idle'), now);
  }

  get defaultLocale(): Locale {
    return this.settings?.defaultLocale ?? this.pack?.manifest.defaultLocale ?? 'zh-CN';
  }

  /** Media volume from the settings (0–1); staff change it in the admin while the kiosk runs. */
  get volume(): number {
    return this.settings?.volume ?? 1;
  }

  get exhibits(): Exhibit[] {
    return this.pack?.manifest.exhibits ?? [];
  }

  async load(): Promise<void> {
    try {
      const [pack, settings] = await Promise.all([this.api.getPack(), this.api.getSettings()]);
      // A visitor who started while this was loading keeps what they see; the next reset applies it.
      if (this.pack && this.screen.name !== 'attract') return;
      this.pack = pack;
      this.settings = settings;
      this.idle.configure(settings.idleTimeoutSeconds * 1000, settings.idleCountdownSeconds * 1000);
      this.locale = this.defaultLocale;
      this.loadError = null;
    } catch (error) {
      // A kiosk that already shows a pack keeps showing it; only a first load without one is an error.
      if (!this.pack) this.loadError = (error as Error).message;
      else console.error(error);
    }
  }

  /** Saved settings apply at once: the idle timer's times, the volume, and the language of the attract loop. */
  applySettings(settings: KioskSettings): void {
    this.settings = settings;
    this.idle.configure(settings.idleTimeoutSeconds * 1000, settings.idleCountdownSeconds * 1000);
    if (this.screen.name === 'attract') this.locale = this.defaultLocale;
  }

  /** Staff opened the PIN pad or the admin: nothing may reset the kiosk under their fingers. */
  suspendForAdmin(): void {
    this.idle.stop();
  }

  /** The PIN pad closed without opening the admin: a visitor in the middle of a visit carries on. */
  resumeVisit(): void {
    if (this.screen.name !== 'attract') this.idle.start();
  }

  /** The admin closed: the next visitor starts at the attract loop, with any new pack and settings. */
  async startFresh(): Promise<void> {
    await this.reset('home');
  }

  /** The visitor touched the attract loop. */
  begin(): void {
    this.screen = { name: 'language' };
    this.idle.start();
  }

  /** Straight from the attract loop into a visit in the language the visitor tapped. */
  async startIn(locale: Locale): Promise<void> {
    this.idle.start();
    await this.chooseLanguage(locale);
  }

  async chooseLanguage(locale: Locale): Promise<void> {
    this.locale = locale;
    this.screen = { name: 'home' };
    this.starting = this.api.startVisit({ locale }).then((v) => {
      this.visit = { id: v.visitId, startedAt: this.now() };
    });
    await this.starting;
  }

  switchLanguage(): void {
    const to: Locale = this.locale === 'zh-CN' ? 'en' : 'zh-CN';
    this.log({ type: 'locale.change', data: { from: this.locale, to } });
    this.locale = to;
  }

  openExhibit(exhibitId: string): void {
    this.log({ type: 'exhibit.open', exhibitId, data: {} });
    this.screen = { name: 'exhibit', exhibitId };
  }

  activity(activityId: string): Activity | undefined {
    return this.pack?.manifest.activities.find((a) => a.id === activityId);
  }

  openActivity(exhibitId: string, activityId: string): void {
    const activity = this.activity(activityId);
    if (!activity) return;
    this.log({ type: 'activity.open', exhibitId, activityId, data: { activityType: activity.type } });
    this.openedActivity = { exhibitId, activityId, at: this.now() };
    this.screen = { name: 'activity', exhibitId, activityId };
  }

  /** Logs an event of the open activity, with its exhibit and activity filled in. */
  logActivity(event: DistributiveOmit<EventWithoutTime, 'exhibitId' | 'activityId'>): void {
    if (!this.openedActivity) return;
    const { exhibitId, activityId } = this.openedActivity;
    this.log({ ...event, exhibitId, activityId } as EventWithoutTime);
  }

  private closeActivity(reason: 'back' | 'home' | 'idle' | 'completed'): void {
    const opened = this.openedActivity;
    if (!opened) return;
    this.log({
      type: 'activity.close',
      exhibitId: opened.exhibitId,
      activityId: opened.activityId,
      data: { reason, ms: Math.round(this.now() - opened.at) },
    });
    this.openedActivity = null;
  }

  /** Back from an activity to its exhibit. */
  back(): void {
    if (this.screen.name !== 'activity') return;
    const { exhibitId } = this.screen;
    this.closeActivity('back');
    this.screen = { name: 'exhibit', exhibitId };
  }

  goHome(): void {
    this.closeActivity('home');
    this.screen = { name: 'home' };
  }

  /** Records an event at the visit's monotonic time; events before the visit exists wait for it. */
  log(event: EventWithoutTime): void {
    const tMs = this.visit ? Math.round(this.now() - this.visit.startedAt) : 0;
    const record = () => {
      if (this.visit) this.queue.push(this.visit.id, { ...event, tMs } as ClientEvent);
    };
    if (this.visit) record();
    else void this.starting?.then(record);
  }

  /** Back to the attract loop for the next person: the visit is ended and nothing of this one remains. */
  async reset(reason: 'idle' | 'completed' | 'home'): Promise<void> {
    this.idle.stop();
    this.closeActivity(reason === 'idle' ? 'idle' : 'home');
    this.screen = { name: 'attract' };
    this.locale = this.defaultLocale;
    this.largeText = false;
    await this.starting;
    const visit = this.visit;
    this.visit = null;
    this.starting = null;
    if (visit) {
      await this.queue.flush();
      await this.api.endVisit({ visitId: visit.id, reason });
    }
    // Between visitors is when a newly installed pack or changed settings take effect.
    await this.load();
  }
}

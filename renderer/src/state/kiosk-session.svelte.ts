import type { ClientEvent } from '../../../electron/common/events';
import type { ActivePack, KioskApi, KioskSettings } from '../../../electron/common/kiosk-api';
import type { Locale } from '../../../electron/common/locales';
import type { Exhibit } from '../../../electron/common/pack-schema';
import { EventQueue } from './event-queue';
import { IdleTimer } from './idle-timer.svelte';

export type Screen = { name: 'attract' } | { name: 'language' } | { name: 'home' } | { name: 'exhibit'; exhibitId: string };

type EventWithoutTime = ClientEvent extends infer E ? (E extends ClientEvent ? Omit<E, 'tMs'> : never) : never;

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
  private visit: { id: string; startedAt: number } | null = null;
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

  get exhibits(): Exhibit[] {
    return this.pack?.manifest.exhibits ?? [];
  }

  async load(): Promise<void> {
    try {
      const [pack, settings] = await Promise.all([this.api.getPack(), this.api.getSettings()]);
      this.pack = pack;
      this.settings = settings;
      this.idle.configure(settings.idleTimeoutSeconds * 1000, settings.idleCountdownSeconds * 1000);
      this.locale = this.defaultLocale;
      this.loadError = null;
    } catch (error) {
      this.loadError = (error as Error).message;
    }
  }

  /** The visitor touched the attract loop. */
  begin(): void {
    this.screen = { name: 'language' };
    this.idle.start();
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

  goHome(): void {
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
    this.screen = { name: 'attract' };
    this.locale = this.defaultLocale;
    await this.starting;
    const visit = this.visit;
    this.visit = null;
    this.starting = null;
    if (!visit) return;
    await this.queue.flush();
    await this.api.endVisit({ visitId: visit.id, reason });
  }
}

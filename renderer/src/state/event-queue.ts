import type { ClientEvent } from '../../../electron/common/events';
import type { KioskApi } from '../../../electron/common/kiosk-api';

/**
 * Sends a visit's events in small batches (a tap usually makes several at once) and in order. Events stay
 * queued until the kiosk acknowledged or held them, so a failed call is retried instead of lost.
 */
export class EventQueue {
  private pending: { visitId: string; event: ClientEvent }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> | null = null;
  private retryMs = 250;

  constructor(
    private readonly api: Pick<KioskApi, 'logEvents'>,
    private readonly batchMs = 100,
    private readonly onError: (error: unknown) => void = (error) => console.error(error),
  ) {}

  push(visitId: string, event: ClientEvent): void {
    this.pending.push({ visitId, event });
    this.timer ??= setTimeout(() => void this.flush(), this.batchMs);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Resolves once everything queued so far is acknowledged (or given up on after a visit ended). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.sending) await this.sending;
    if (this.pending.length === 0) return;
    this.sending = this.sendAll().finally(() => (this.sending = null));
    await this.sending;
  }

  private async sendAll(): Promise<void> {
    while (this.pending.length > 0) {
      const visitId = this.pending[0]!.visitId;
      const batch = this.pending.filter((p) => p.visitId === visitId).slice(0, 200);
      try {
        // Acknowledged and held events are both the kiosk's now: held ones wait in its memory for disk
        // space and are written in order when it returns, so sending them again would store them twice.
        await this.api.logEvents({ visitId, events: batch.map((p) => p.event) });
        this.pending = this.pending.filter((p) => !batch.includes(p));
        this.retryMs = 250;
      } catch (error) {
        this.onError(error);
        // Anything else, 'storage-full' included (the kiosk's own memory for held writes is full), is
        // retried with backoff: these events stay here, the only copy, until the kiosk takes them.
        if ((error as { code?: string }).code === 'bad-request' || (error as { code?: string }).code === 'not-found') {
          // The kiosk refused these events for good (e.g. the visit is closed): retrying cannot help.
          this.pending = this.pending.filter((p) => !batch.includes(p));
          continue;
        }
        this.timer = setTimeout(() => void this.flush(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        return;
      }
    }
  }
}

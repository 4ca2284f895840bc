import { KioskError, unwrapEnvelope, type Envelope } from './envelope';
import type { KioskApi } from './kiosk-api';
import { KIOSK_METHODS } from './kiosk-methods';

export interface HttpTransportOptions {
  /** Origin of the loopback host, e.g. http://127.0.0.1:4173 (empty for same origin). */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

/** KioskApi over the loopback host's `POST /api/<method>`; used by the renderer and the contract tests. */
export function createHttpKioskApi({ baseUrl, token, fetch: fetchImpl = fetch }: HttpTransportOptions): KioskApi {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const response = await fetchImpl(`${baseUrl}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(args),
    });
    let envelope: Envelope<unknown>;
    try {
      envelope = (await response.json()) as Envelope<unknown>;
    } catch {
      throw new KioskError('internal', `The kiosk host answered ${response.status} without a readable body`);
    }
    return unwrapEnvelope(envelope);
  };
  return Object.fromEntries(KIOSK_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as KioskApi;
}

import type { Database } from 'better-sqlite3';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { isoUtc, type Clock } from '../clock';

export interface KioskIdentity {
  kioskId: string;
  label: string;
  location: string;
  publicKey: string;
}

/**
 * This device's identity, made once at first start: a random id (no serial numbers, nothing personal)
 * and the Ed25519 key pair that signs its sync bundles.
 */
export function ensureKioskIdentity(db: Database, clock: Clock): KioskIdentity {
  const read = () =>
    db.prepare('SELECT kiosk_id AS kioskId, label, location, public_key AS publicKey FROM kiosk').get() as
      | KioskIdentity
      | undefined;
  const existing = read();
  if (existing) return existing;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  db.prepare(
    'INSERT INTO kiosk (singleton, kiosk_id, created_at, public_key, private_key) VALUES (1, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(randomUUID(), isoUtc(clock.now()), publicKey, privateKey);
  const created = read();
  if (!created) throw new Error('Could not create the kiosk identity');
  return created;
}

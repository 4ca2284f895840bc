import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { z } from 'zod';

/**
 * A sync bundle (`<kiosk>_<from>-<to>.kbundle`, visit-log.md "Sync bundle"): a zip of manifest.json and
 * three ndjson files. The manifest names every file with its sha256 and size and is signed with the
 * kiosk's Ed25519 key, so an official can tell an untouched bundle from an edited one without trusting
 * whoever carried the USB stick.
 */
export const BUNDLE_FORMAT = 'kiosk-sync-bundle';
/** Bumped only when a reader of the previous version would misread the new one. */
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_EXTENSION = '.kbundle';

export const BUNDLE_FILES = ['visits.ndjson', 'events.ndjson', 'audit.ndjson'] as const;
export type BundleFileName = (typeof BUNDLE_FILES)[number];
export const MANIFEST_FILE = 'manifest.json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();
const seqNumber = z.number().int().nonnegative();

const fileEntry = z.strictObject({ sha256: sha256Hex, bytes: count });

export const bundleManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  kiosk: z.strictObject({
    id: z.string().min(1).max(200),
    label: z.string(),
    location: z.string(),
    publicKey: z.string().min(1),
  }),
  /** Events from..to (an empty bundle has to = from - 1); prevHash is the chain hash at from - 1. */
  seq: z.strictObject({ from: seqNumber, to: seqNumber, prevHash: sha256Hex, headHash: sha256Hex }),
  /** Audit rows from..to by audit_id, in the same empty-range convention. */
  audit: z.strictObject({ from: seqNumber, to: seqNumber }),
  counts: z.strictObject({ events: count, visits: count, audit: count }),
  range: z.enum(['since-last', 'all']),
  appVersion: z.string(),
  packVersions: z.array(z.strictObject({ id: z.string(), version: z.string() })),
  files: z.strictObject({ 'visits.ndjson': fileEntry, 'events.ndjson': fileEntry, 'audit.ndjson': fileEntry }),
  createdAt: z.string(),
  /** Ed25519 over canonicalJson(the manifest without this field), base64. */
  signature: z.string().min(1),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type UnsignedManifest = Omit<BundleManifest, 'signature'>;

/** Only what tells a bundle apart from any other JSON, read before the full schema. */
export const bundleHeaderSchema = z.looseObject({ format: z.string(), formatVersion: z.number() });

export const eventLineSchema = z.strictObject({
  seq: z.number().int().positive(),
  event_id: z.string().min(1),
  visit_id: z.string().min(1),
  at: z.string(),
  t_ms: z.number().int(),
  type: z.string().min(1),
  exhibit_id: z.string().nullable(),
  activity_id: z.string().nullable(),
  item_id: z.string().nullable(),
  data: z.string(),
  hash: sha256Hex,
});
export type EventLine = z.infer<typeof eventLineSchema>;

export const visitLineSchema = z.strictObject({
  visit_id: z.string().min(1),
  pack_id: z.string(),
  pack_version: z.string(),
  locale: z.string(),
  started_at: z.string(),
  utc_offset_min: z.number().int(),
  ended_at: z.string().nullable(),
  end_reason: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
});
export type VisitLine = z.infer<typeof visitLineSchema>;

export const auditLineSchema = z.strictObject({
  audit_id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  ok: z.union([z.literal(0), z.literal(1)]),
  detail: z.string(),
});
export type AuditLine = z.infer<typeof auditLineSchema>;

/**
 * JSON with object keys sorted at every depth and no whitespace: the bytes that are signed, so the
 * signature does not depend on how a writer happened to order or indent the manifest.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function signManifest(manifest: UnsignedManifest, privateKeyPem: string): BundleManifest {
  const signature = sign(null, Buffer.from(canonicalJson(manifest), 'utf8'), createPrivateKey(privateKeyPem)).toString('base64');
  return { ...manifest, signature };
}

/** False for a wrong signature and for a key that is not an Ed25519 public key at all. */
export function manifestSignatureValid(manifest: BundleManifest): boolean {
  const { signature, ...unsigned } = manifest;
  try {
    const key = createPublicKey(manifest.kiosk.publicKey);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** `<kiosk>_<from>-<to>.kbundle`; the kiosk id is a UUID, but anything unsafe in a file name is replaced anyway. */
export function bundleFileName(kioskId: string, fromSeq: number, toSeq: number, attempt = 1): string {
  const safeId = kioskId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safeId}_${fromSeq}-${toSeq}${attempt > 1 ? `_${attempt}` : ''}${BUNDLE_EXTENSION}`;
}

/**
 * What crosses a transport: a value, or an error the caller can show. Kept free of zod so the renderer
 * bundle carries no validator.
 */
export type ErrorCode =
  | 'bad-request'
  | 'unknown-method'
  | 'forbidden'
  | 'too-large'
  | 'not-found'
  | 'no-pack'
  /** The admin PIN was wrong; getAdminState tells whether a lockout began. */
  | 'wrong-pin'
  /** Too many wrong PINs: try again after the lockout shown by getAdminState. */
  | 'locked-out'
  /** The admin session is missing, expired or was locked: unlock again. */
  | 'admin-required'
  /** The disk is full: writes are held in memory and retried (see getStatus). */
  | 'storage-full'
  /** This shell cannot do that (e.g. a native file dialog in browser mode). */
  | 'unsupported'
  | 'internal';
export interface ApiError {
  code: ErrorCode;
  message: string;
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** An error a service method raises on purpose, with a code transports map to a status. */
export class KioskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KioskError';
  }
}

export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new KioskError(envelope.error.code, envelope.error.message);
}

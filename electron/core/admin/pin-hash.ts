import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * N = 2^15, r = 8 costs about 90 ms and 32 MiB per check on a small kiosk PC: slow enough that the
 * four-digit PINs staff choose cannot be tried offline from a copied database in seconds, fast enough
 * that the PIN pad does not feel stuck.
 */
export const PIN_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(pin: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for our N, so allow twice it.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** 'scrypt$N$r$p$salt$hash', salt and hash in base64: the parameters travel with the hash so they can grow. */
export async function hashPin(pin: string, params: ScryptParams = PIN_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** True when the PIN matches; a malformed stored hash matches nothing rather than throwing at the PIN pad. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Parameters far beyond ours would make one check take minutes (a tampered row); refuse them.
  if (expected.length !== KEY_BYTES || params.N > 2 ** 20 || params.r > 32 || params.p > 16) return false;
  let key: Buffer;
  try {
    key = await derive(pin, Buffer.from(salt!, 'base64'), params);
  } catch {
    return false;
  }
  return timingSafeEqual(key, expected);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { dispatch, type ApiError, type Envelope, type ErrorCode, type KioskApi } from '../common/kiosk-api';
import { sendJson } from './respond';

const STATUS_OF: Record<ErrorCode, number> = {
  'bad-request': 400,
  'unknown-method': 404,
  forbidden: 403,
  'too-large': 413,
  'not-found': 404,
  'no-pack': 503,
  'wrong-pin': 403,
  'locked-out': 429,
  'admin-required': 401,
  'storage-full': 507,
  unsupported: 501,
  internal: 500,
};

function failure(res: ServerResponse, error: ApiError): void {
  sendJson(res, STATUS_OF[error.code], { ok: false, error } satisfies Envelope<never>);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `POST /api/<method>` with a JSON array of arguments. The token keeps other local programs and web pages
 * out; arguments go through the same zod schemas as Electron IPC, and nothing is written on a refusal.
 */
export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  service: KioskApi,
  token: string,
  maxBodyBytes: number,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return failure(res, { code: 'bad-request', message: 'Use POST for API calls' });
  }
  if (!tokenMatches(req.headers.authorization, token)) {
    return failure(res, { code: 'forbidden', message: 'Missing or wrong kiosk token' });
  }
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.setHeader('connection', 'close');
      return failure(res, { code: 'too-large', message: `Request body over ${maxBodyBytes} bytes` });
    }
    throw error;
  }
  let args: unknown;
  try {
    args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'));
  } catch {
    return failure(res, { code: 'bad-request', message: 'The request body is not valid JSON' });
  }
  const envelope = await dispatch(service, method, args);
  if (envelope.ok) sendJson(res, 200, envelope);
  else failure(res, envelope.error);
}

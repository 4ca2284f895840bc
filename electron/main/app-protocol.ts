import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { decideRange } from '../core/media/byte-range';
import { resolveMediaFile, type MediaFile } from '../core/media/media-file';

/** The app is served from kiosk://app/ so pages get a real origin, a CSP and module scripts. */
export const APP_SCHEME = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

const SHELL_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function fileResponse(file: MediaFile, rangeHeader: string | null, extraHeaders: Record<string, string>): Response {
  const range = decideRange(rangeHeader, file.size);
  const headers: Record<string, string> = { 'content-type': file.contentType, 'accept-ranges': 'bytes', ...extraHeaders };
  if (range.status === 416) return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${file.size}` } });
  headers['content-length'] = String(file.size === 0 ? 0 : range.end - range.start + 1);
  if (range.status === 206) headers['content-range'] = `bytes ${range.start}-${range.end}/${file.size}`;
  const body =
    file.size === 0 ? null : (Readable.toWeb(createReadStream(file.path, { start: range.start, end: range.end })) as ReadableStream);
  return new Response(body, { status: range.status, headers });
}

export interface AppProtocolOptions {
  rendererDir: string;
  packDir(id: string, version: string): string | null;
  csp: string;
}

/**
 * Answers kiosk://app/ requests: pack media under /media/<id>/<version>/ with Range support (Electron's
 * net.fetch of file:// ignores Range, which breaks video seeking), everything else from the built renderer.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Response {
  return (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    if (url.pathname.startsWith('/media/')) {
      const [, , id = '', version = '', ...rest] = url.pathname.split('/');
      const dir = options.packDir(decodeURIComponent(id), decodeURIComponent(version));
      const file = dir ? resolveMediaFile(dir, rest.join('/')) : null;
      if (!file) return new Response('Not found', { status: 404 });
      return fileResponse(file, request.headers.get('range'), {});
    }
    const root = realpathSync(options.rendererDir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Malformed path', { status: 400 });
    }
    let candidate = resolve(root, `.${decoded}`);
    const inside = !relative(root, candidate).startsWith('..');
    if (!inside || !existsSync(candidate) || !statSync(candidate).isFile()) candidate = join(root, 'index.html');
    const ext = extname(candidate);
    const headers: Record<string, string> = ext === '.html' ? { 'content-security-policy': options.csp } : {};
    return fileResponse(
      { path: candidate, size: statSync(candidate).size, contentType: SHELL_TYPES[ext] ?? 'application/octet-stream' },
      request.headers.get('range'),
      headers,
    );
  };
}

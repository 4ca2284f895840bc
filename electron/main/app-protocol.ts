import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createAppFileResolver, RENDERER_CSP } from '../core/media/app-files';
import { decideRange } from '../core/media/byte-range';
import type { MediaFile } from '../core/media/media-file';

/** The app is served from kiosk://app/ so pages get a real origin, a CSP and module scripts. */
export const APP_SCHEME = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Parsed, not prefix-matched (checklist point 13): `kiosk://app.evil/` or `kiosk://x@app/` are not the app. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && parsed.username === '' && parsed.password === '';
}

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
}

/**
 * Answers kiosk://app/ requests: pack media under /media/<id>/<version>/ with Range support (Electron's
 * net.fetch of file:// ignores Range, which breaks video seeking), everything else from the built renderer.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Response {
  const resolveFile = createAppFileResolver(options);
  return (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const target = resolveFile(url.pathname);
    switch (target.kind) {
      case 'malformed':
        return new Response('Malformed path', { status: 400 });
      case 'media':
        return fileResponse(target.file, request.headers.get('range'), {});
      case 'shell':
        return fileResponse(target.file, request.headers.get('range'), target.isHtml ? { 'content-security-policy': RENDERER_CSP } : {});
      default:
        return new Response('Not found', { status: 404 });
    }
  };
}

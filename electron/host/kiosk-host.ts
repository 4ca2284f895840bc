import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve } from 'node:path';
import type { KioskApi } from '../common/kiosk-api';
import { resolveMediaFile } from '../core/media/media-file';
import { handleApiCall } from './api-route';
import { sendText } from './respond';
import { serveFile } from './serve-file';

export interface KioskHostOptions {
  service: KioskApi;
  /** Per-launch secret the renderer receives in the URL fragment and sends as a bearer token. */
  token: string;
  /** The built renderer (dist/renderer); null when another server (Vite in dev) serves it. */
  rendererDir: string | null;
  /** Folder of an installed pack version, for /media/<id>/<version>/<path>. */
  packDir(id: string, version: string): string | null;
  maxBodyBytes?: number;
}

const RENDERER_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** The renderer's CSP: everything from this origin, nothing inline but styles Svelte sets on elements. */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only these Host headers are served: a DNS-rebinding page arrives with its own host name and is refused. */
function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.replace(/:\d+$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

function serveRenderer(req: IncomingMessage, res: ServerResponse, rendererDir: string, pathname: string): void {
  const root = realpathSync(rendererDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, 'Malformed path');
  }
  let candidate = resolve(root, `.${decoded}`);
  const inside = !relative(root, candidate).startsWith('..');
  const isFile = inside && existsSync(candidate) && statSync(candidate).isFile();
  // Unknown paths get the app shell, so a reload on any screen still starts the kiosk.
  if (!isFile) candidate = join(root, 'index.html');
  const ext = extname(candidate);
  const isHtml = ext === '.html';
  if (isHtml) res.setHeader('content-security-policy', RENDERER_CSP);
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  serveFile(
    req,
    res,
    { path: candidate, size: statSync(candidate).size, contentType: RENDERER_TYPES[ext] ?? 'application/octet-stream' },
    // Vite puts a content hash in every asset name, so only the shell must be revalidated.
    isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
  );
}

/** One request handler for the API, pack media and the renderer; usable as Vite dev middleware too. */
export function createKioskRequestHandler(options: KioskHostOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse, next?: () => void): Promise<void> => {
    try {
      if (!isLoopbackHost(req.headers.host)) return sendText(res, 403, 'This kiosk host only answers on the loopback address.');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const pathname = url.pathname;
      if (pathname.startsWith('/api/')) {
        return await handleApiCall(req, res, pathname.slice(5), options.service, options.token, maxBodyBytes);
      }
      if (pathname.startsWith('/media/')) {
        const [, , id = '', version = '', ...rest] = pathname.split('/');
        const dir = options.packDir(decodeURIComponent(id), decodeURIComponent(version));
        const file = dir ? resolveMediaFile(dir, rest.join('/')) : null;
        if (!file) return sendText(res, 404, 'No such media in this pack');
        // Installed versions never change in place, so media can be cached for good.
        return serveFile(req, res, file, 'public, max-age=31536000, immutable');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
      if (options.rendererDir) return serveRenderer(req, res, options.rendererDir, pathname);
      if (next) return next();
      return sendText(res, 404, 'Not found');
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `Kiosk host error: ${(error as Error).message}`);
      else res.destroy();
    }
  };
}

export interface RunningHost {
  server: Server;
  port: number;
  /** What a browser opens: the token travels in the fragment, which is never sent over HTTP. */
  url: string;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Listens on 127.0.0.1 only (never all interfaces); port 0 picks a free one. */
export function startKioskHost(options: KioskHostOptions & { port: number }): Promise<RunningHost> {
  const handler = createKioskRequestHandler(options);
  const server = createServer((req, res) => void handler(req, res));
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        server,
        port,
        url: `http://127.0.0.1:${port}/#token=${options.token}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

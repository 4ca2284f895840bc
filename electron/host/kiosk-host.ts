import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskApi } from '../common/kiosk-api';
import { createAppFileResolver, RENDERER_CSP } from '../core/media/app-files';
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

/** Only these Host headers are served: a DNS-rebinding page arrives with its own host name and is refused. */
function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.replace(/:\d+$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/** One request handler for the API, pack media and the renderer; usable as Vite dev middleware too. */
export function createKioskRequestHandler(options: KioskHostOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const resolveFile = createAppFileResolver(options);
  return async (req: IncomingMessage, res: ServerResponse, next?: () => void): Promise<void> => {
    try {
      if (!isLoopbackHost(req.headers.host)) return sendText(res, 403, 'This kiosk host only answers on the loopback address.');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const pathname = url.pathname;
      if (pathname.startsWith('/api/')) {
        return await handleApiCall(req, res, pathname.slice(5), options.service, options.token, maxBodyBytes);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
      const target = resolveFile(pathname);
      switch (target.kind) {
        case 'malformed':
          return sendText(res, 400, 'Malformed path');
        // Installed pack versions never change in place, so media can be cached for good.
        case 'media':
          return serveFile(req, res, target.file, 'public, max-age=31536000, immutable');
        case 'shell':
          if (target.isHtml) res.setHeader('content-security-policy', RENDERER_CSP);
          res.setHeader('referrer-policy', 'no-referrer');
          res.setHeader('x-frame-options', 'DENY');
          // Vite puts a content hash in every asset name, so only the shell must be revalidated.
          return serveFile(req, res, target.file, target.isHtml ? 'no-cache' : 'public, max-age=31536000, immutable');
        case 'not-found':
          return sendText(res, 404, 'Not found');
        case 'elsewhere':
          if (next) return next();
          return sendText(res, 404, 'Not found');
      }
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

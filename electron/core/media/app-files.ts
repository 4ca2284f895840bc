import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { resolveMediaFile, type MediaFile } from './media-file';

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

const SHELL_TYPES: Readonly<Record<string, string>> = {
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

/** What a path under the app's origin names; both transports turn it into their own kind of response. */
export type AppFile =
  | { kind: 'media'; file: MediaFile }
  | { kind: 'shell'; file: MediaFile; isHtml: boolean }
  | { kind: 'not-found' }
  | { kind: 'malformed' }
  /** Not ours to answer: the renderer is served by another server (Vite in dev). */
  | { kind: 'elsewhere' };

export interface AppFileOptions {
  /** The built renderer; null when another server (Vite in dev) serves it. */
  rendererDir: string | null;
  /** Folder of an installed pack version, for /media/<id>/<version>/<path>. */
  packDir(id: string, version: string): string | null;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Resolves a request path the same way for the loopback host and Electron's kiosk:// protocol: pack media
 * (never outside the pack, only allowed types), else a file of the built renderer, else the app shell so a
 * reload on any screen still starts the kiosk.
 */
export function createAppFileResolver(options: AppFileOptions): (pathname: string) => AppFile {
  let root: string | null = null;
  return (pathname) => {
    if (pathname.startsWith('/media/')) {
      const [, , id = '', version = '', ...rest] = pathname.split('/');
      const [packId, packVersion] = [decode(id), decode(version)];
      if (packId === null || packVersion === null) return { kind: 'malformed' };
      const dir = options.packDir(packId, packVersion);
      const file = dir ? resolveMediaFile(dir, rest.join('/')) : null;
      return file ? { kind: 'media', file } : { kind: 'not-found' };
    }
    if (!options.rendererDir) return { kind: 'elsewhere' };
    const decoded = decode(pathname);
    if (decoded === null) return { kind: 'malformed' };
    root ??= realpathSync(options.rendererDir);
    let candidate = resolve(root, `.${decoded}`);
    const inside = !relative(root, candidate).startsWith('..');
    if (!inside || !existsSync(candidate) || !statSync(candidate).isFile()) candidate = join(root, 'index.html');
    const ext = extname(candidate);
    return {
      kind: 'shell',
      isHtml: ext === '.html',
      file: { path: candidate, size: statSync(candidate).size, contentType: SHELL_TYPES[ext] ?? 'application/octet-stream' },
    };
  };
}

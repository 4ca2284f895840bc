import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideRange } from '../core/media/byte-range';
import type { MediaFile } from '../core/media/media-file';

/** Streams a file, answering Range requests with 206 or 416 so video seeking works. */
export function serveFile(req: IncomingMessage, res: ServerResponse, file: MediaFile, cacheControl: string): void {
  const range = decideRange(req.headers.range, file.size);
  const headers: Record<string, string | number> = {
    'content-type': file.contentType,
    'accept-ranges': 'bytes',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (range.status === 416) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${file.size}` });
    res.end();
    return;
  }
  headers['content-length'] = file.size === 0 ? 0 : range.end - range.start + 1;
  if (range.status === 206) headers['content-range'] = `bytes ${range.start}-${range.end}/${file.size}`;
  res.writeHead(range.status, headers);
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start: range.start, end: range.end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

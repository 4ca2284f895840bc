import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import type * as DevHost from './electron/cli/dev-host';

/**
 * `npm run dev`: Vite serves the renderer with hot reload and the real kiosk host (SQLite, packs, media)
 * answers /api and /media in the same server, with its data in .kiosk-dev-data/. The host comes from the
 * built bundle (`npm run dev` builds it first), so loading this config never compiles the Node side.
 */
function kioskDevHost(): Plugin {
  return {
    name: 'kiosk-dev-host',
    apply: 'serve',
    async configureServer(server) {
      const bundle = new URL('./dist/electron/dev-host.js', import.meta.url).href;
      const { createDevHost } = (await import(/* @vite-ignore */ bundle)) as typeof DevHost;
      const host = await createDevHost('.kiosk-dev-data');
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/') || req.url?.startsWith('/media/')) void host.handler(req, res, next);
        else next();
      });
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        const port = typeof address === 'object' && address ? address.port : 5173;
        server.config.logger.info(`\n  Kiosk (dev) ready at http://127.0.0.1:${port}/#token=${host.token}\n`);
      });
      server.httpServer?.once('close', () => host.close());
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [svelte(), kioskDevHost()],
  server: { host: '127.0.0.1', port: 5173 },
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'chrome120', assetsInlineLimit: 0 },
});

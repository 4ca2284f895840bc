import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/**
 * `npm run dev`: Vite serves the renderer with hot reload and the real kiosk host (SQLite, packs, media)
 * answers /api and /media in the same server, with its data in .kiosk-dev-data/.
 */
function kioskDevHost(): Plugin {
  return {
    name: 'kiosk-dev-host',
    apply: 'serve',
    async configureServer(server) {
      const { openKiosk } = await import('./electron/core/open-kiosk');
      const { createKioskRequestHandler, newToken } = await import('./electron/host/kiosk-host');
      const { appFiles, appVersion } = await import('./electron/cli/app-files');
      const kiosk = openKiosk({ dataDir: '.kiosk-dev-data', bundledPackDir: appFiles.bundledPackDir, appVersion: appVersion() });
      const token = newToken();
      const handler = createKioskRequestHandler({
        service: kiosk.service,
        token,
        rendererDir: null,
        packDir: (id, version) => kiosk.packs.dirOf(id, version),
      });
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/') || req.url?.startsWith('/media/')) void handler(req, res, next);
        else next();
      });
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        const port = typeof address === 'object' && address ? address.port : 5173;
        server.config.logger.info(`\n  Kiosk (dev) ready at http://127.0.0.1:${port}/#token=${token}\n`);
      });
      server.httpServer?.once('close', () => kiosk.close());
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

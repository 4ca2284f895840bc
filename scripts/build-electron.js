// Bundles the Node side (Electron main, preload, the `kiosk` CLI) into dist/electron with Vite's SSR build.
// The preload is CommonJS and self-contained because a sandboxed preload cannot load other files.
import { build } from 'vite';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const common = {
  configFile: false,
  logLevel: 'warn',
  build: { outDir: 'dist/electron', emptyOutDir: false, target: 'node20', minify: false, sourcemap: true },
};

await build({
  ...common,
  build: {
    ...common.build,
    ssr: true,
    rollupOptions: {
      input: { main: 'electron/main/main.ts', cli: 'electron/cli/main.ts', 'dev-host': 'electron/cli/dev-host.ts' },
      external: ['electron', 'better-sqlite3', 'electron-store', /^electron-log(\/|$)/, 'zod', ...nodeBuiltins],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});

await build({
  ...common,
  ssr: { noExternal: true },
  build: {
    ...common.build,
    ssr: true,
    rollupOptions: {
      input: { preload: 'electron/preload/preload.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
});
console.log('Built dist/electron (main.js, preload.cjs, cli.js)');

// `npm run bench`: bundles tests/bench/main.ts with Vite's SSR build (the same way as the app's Node side)
// and runs it. Figures are printed beside a baseline measured in the same run.
import { build } from 'vite';
import { builtinModules } from 'node:module';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'tests/bench/main.ts',
    outDir: 'dist/bench',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      external: ['better-sqlite3', 'zod', '@playwright/test', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
});
await import(new URL('../dist/bench/main.js', import.meta.url).href);

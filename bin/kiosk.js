#!/usr/bin/env node
// The `kiosk` command. It runs the bundle that `npm install` (prepare) and `npm run build` write.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/electron/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('The kiosk is not built yet. Run `npm run build` (npm install does it too) and try again.');
  process.exit(1);
}
const { runCli } = await import(cli.href);
process.exitCode = await runCli(process.argv.slice(2));

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3's addon must match the runtime's ABI. npm builds it for Node (tests, CLI); the Electron
 * build lives apart (scripts/electron-native.js writes it; electron-builder ships it in resources/native),
 * so both runtimes work from one checkout in any order without rebuilding node_modules.
 */
export function electronNativeBindingPath(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  appRoot: string;
  abi: string;
  platform: string;
  arch: string;
}): string {
  if (opts.isPackaged) return join(opts.resourcesPath, 'native', 'better_sqlite3.node');
  return join(opts.appRoot, '.electron-native', `${opts.abi}-${opts.platform}-${opts.arch}`, 'better_sqlite3.node');
}

export function requireNativeBinding(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`better-sqlite3 is not built for this Electron (${path} is missing). Run \`npm run electron:native\` once.`);
  }
  return path;
}

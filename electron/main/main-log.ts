import { existsSync, renameSync, rmSync } from 'node:fs';
import { parse, join } from 'node:path';

/** How many rotated files are kept beside the current one (main.1.log is the newest). */
export const KEPT_LOG_FILES = 5;
export const LOG_FILE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Moves main.log to main.1.log, main.1.log to main.2.log…, dropping the oldest, so a kiosk that runs for
 * months keeps a bounded history instead of electron-log's single main.old.log.
 */
export function rotateLogFiles(current: string, keep: number): void {
  const { dir, name, ext } = parse(current);
  const numbered = (n: number) => join(dir, `${name}.${n}${ext}`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n -= 1) {
    if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  }
  renameSync(current, numbered(1));
}

/** The part of electron-log's logger configured here; electron-log/node has the same shape, for tests. */
export interface ConfigurableLog {
  transports: {
    file: {
      level: string | false;
      maxSize: number;
      archiveLogFn(file: { toString(): string }): void;
      resolvePathFn(vars: { readonly fileName?: string }): string;
    };
    console: { level: string | false };
  };
}

/**
 * Rotating file logs in `logDir` (userData/logs); the console too when running from a checkout. Only the
 * Electron shell logs this way: core reports through the functions it is given.
 */
export function configureMainLog(log: ConfigurableLog, options: { logDir: string; production: boolean }): void {
  const file = log.transports.file;
  file.level = 'info';
  file.maxSize = LOG_FILE_MAX_BYTES;
  file.resolvePathFn = (vars) => join(options.logDir, vars.fileName ?? 'main.log');
  file.archiveLogFn = (old) => rotateLogFiles(old.toString(), KEPT_LOG_FILES);
  log.transports.console.level = options.production ? false : 'debug';
}

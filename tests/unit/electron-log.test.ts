import log from 'electron-log/node';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureMainLog, KEPT_LOG_FILES, LOG_FILE_MAX_BYTES, rotateLogFiles } from '../../electron/main/main-log';
import { tempDir } from '../helpers/temp-dir';

describe('main-process log', () => {
  it('rotates main.log into numbered files and keeps a bounded number', () => {
    const dir = tempDir();
    const current = join(dir, 'main.log');
    for (let round = 1; round <= 4; round += 1) {
      writeFileSync(current, `round ${round}`);
      rotateLogFiles(current, 3);
    }
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log']);
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toBe('round 4');
    expect(readFileSync(join(dir, 'main.3.log'), 'utf8')).toBe('round 2');
  });

  it('configures electron-log: file in the logs folder with a size cap, console only in development', () => {
    const dir = tempDir();
    configureMainLog(log, { logDir: dir, production: true });
    expect(log.transports.file.maxSize).toBe(LOG_FILE_MAX_BYTES);
    expect(log.transports.console.level).toBe(false);
    configureMainLog(log, { logDir: dir, production: false });
    expect(log.transports.console.level).toBe('debug');
  });

  it('writes through electron-log and rotates when the file passes the cap', () => {
    const dir = tempDir();
    configureMainLog(log, { logDir: dir, production: true });
    log.transports.file.maxSize = 2000;
    for (let i = 0; i < 200; i += 1) log.info(`line ${i} ${'x'.repeat(40)}`);
    const files = readdirSync(dir).sort();
    expect(files).toContain('main.log');
    expect(files).toContain('main.1.log');
    expect(files.length).toBeLessThanOrEqual(KEPT_LOG_FILES + 1);
    expect(existsSync(join(dir, `main.${KEPT_LOG_FILES + 1}.log`))).toBe(false);
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('line 199');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kioskWindowOptions } from '../../electron/main/kiosk-window';
import { REPO } from '../helpers/paths';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}
const appSources = [...sources(join(REPO, 'electron')), ...sources(join(REPO, 'renderer', 'src'))];

describe('kiosk window options', () => {
  it('runs the page sandboxed, isolated, without Node and with web security (checklist 2–4, 6, 8–11)', () => {
    for (const production of [true, false]) {
      const { webPreferences } = kioskWindowOptions({ production, preload: '/app/preload.cjs' });
      expect(webPreferences).toMatchObject({
        preload: '/app/preload.cjs',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
      });
      expect(webPreferences).not.toHaveProperty('enableBlinkFeatures');
    }
  });

  it('is a full-screen kiosk without devtools when packaged, a normal window with devtools in a checkout', () => {
    expect(kioskWindowOptions({ production: true, preload: 'p' })).toMatchObject({ kiosk: true, fullscreen: true, webPreferences: { devTools: false } });
    expect(kioskWindowOptions({ production: false, preload: 'p' })).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: { devTools: true } });
  });
});

describe('source audit (what the Electron binary cannot be run here to show)', () => {
  it('never opens external URLs, enables Blink features, popups or insecure content anywhere (checklist 9–11, 15)', () => {
    const forbidden = [/openExternal/, /enableBlinkFeatures/, /allowpopups/, /allowRunningInsecureContent:\s*true/, /webSecurity:\s*false/, /nodeIntegration:\s*true/, /contextIsolation:\s*false/, /sandbox:\s*false/, /experimentalFeatures:\s*true/, /webviewTag:\s*true/];
    for (const file of appSources) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of forbidden) expect(pattern.test(text), `${relative(REPO, file)} matches ${pattern}`).toBe(false);
    }
  });

  it('the preload hands the page plain functions, never ipcRenderer itself', () => {
    const preload = readFileSync(join(REPO, 'electron', 'preload', 'preload.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\('kiosk', buildKioskBridge\(/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });

  it('only the Electron shell imports electron or electron-log', () => {
    for (const file of appSources) {
      const path = relative(REPO, file);
      if (path.startsWith(join('electron', 'main')) || path.startsWith(join('electron', 'preload'))) continue;
      expect(readFileSync(file, 'utf8'), path).not.toMatch(/from '(electron|electron-log)(\/[^']*)?'/);
    }
  });

  it('pins the installed Electron exactly (checklist 16: a known, current version)', () => {
    const pinned = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    const installed = (JSON.parse(readFileSync(join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    expect(installed).toBe(pinned);
    expect(Number(pinned?.split('.')[0])).toBeGreaterThanOrEqual(42);
  });
});

import { test as base, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveKiosk } from '../helpers/kiosk-serve';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningKiosk {
  url: string;
  dataDir: string;
  /** Opens the visit log read-only; the host keeps writing in WAL mode meanwhile. */
  query<T>(sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

/** The staff PIN the fixture sets unless a spec asks for a fresh kiosk (`adminPin: null`). */
export const E2E_ADMIN_PIN = '2468';

/** Sets the staff PIN the way an installer script would, before the kiosk starts. */
function setAdminPin(dataDir: string, pin: string): void {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), 'admin', 'set-pin', '--pin-stdin', '--data', dataDir], {
    input: `${pin}\n`,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kiosk admin set-pin failed (${result.status}):\n${result.stderr}`);
}

/**
 * Starts `kiosk serve` exactly as a user would, on a fresh data folder, and waits for its ready line.
 * With a PIN the kiosk is past first-start setup (visitor specs); with null it asks staff to set it up.
 */
export async function startKiosk(settings: Record<string, unknown> = {}, adminPin: string | null = E2E_ADMIN_PIN): Promise<RunningKiosk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  if (adminPin !== null) setAdminPin(dataDir, adminPin);
  const { child, url } = await serveKiosk(dataDir);

  return {
    url,
    dataDir,
    query<T>(sql: string, ...params: unknown[]) {
      const db = new Database(join(dataDir, 'visit-log.sqlite'), { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Screenshots go to test-results/ as artifacts; they are looked at, never committed. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(REPO, 'test-results', 'screens', `${name}.png`) });
}

export const test = base.extend<{ kioskSettings: Record<string, unknown>; adminPin: string | null; kiosk: RunningKiosk }>({
  // Short idle times so walking away can be tested; a spec that needs a patient kiosk overrides them.
  kioskSettings: [{ idleTimeoutSeconds: 5, idleCountdownSeconds: 3 }, { option: true }],
  // A kiosk already set up, so visitors see the attract screen; `null` gives first-start setup.
  adminPin: [E2E_ADMIN_PIN, { option: true }],
  kiosk: async ({ kioskSettings, adminPin }, use) => {
    const kiosk = await startKiosk(kioskSettings, adminPin);
    await use(kiosk);
    await kiosk.stop();
  },
});
export { expect } from '@playwright/test';

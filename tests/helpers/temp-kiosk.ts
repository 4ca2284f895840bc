import type { DriveRoots } from '../../electron/core/admin/drives';
import type { KioskShell } from '../../electron/core/kiosk-shell';
import { openKiosk, type OpenedKiosk } from '../../electron/core/open-kiosk';
import { FakeClock } from './fake-clock';
import { MINI_PACK } from './paths';
import { tempDir } from './temp-dir';

export interface TempKioskOptions {
  shell?: KioskShell;
  driveRoots?: DriveRoots;
  /** Continues from this clock (a reopened kiosk keeps the time where the test left it). */
  clock?: FakeClock;
}

/** A real kiosk core on a temporary data folder with the mini fixture pack and a hand-driven clock. */
export async function tempKiosk(
  dataDir = tempDir(),
  options: TempKioskOptions = {},
): Promise<OpenedKiosk & { clock: FakeClock; dataDir: string }> {
  const clock = options.clock ?? new FakeClock();
  const kiosk = await openKiosk({
    dataDir,
    bundledPackDir: MINI_PACK,
    appVersion: '1.0.0',
    clock,
    ...(options.shell ? { shell: options.shell } : {}),
    ...(options.driveRoots ? { driveRoots: options.driveRoots } : {}),
  });
  return { ...kiosk, clock, dataDir };
}

export const TEST_PIN = '2468';

/** Sets the kiosk up the way staff do at first start and returns the admin session it opens. */
export async function adminSession(api: Pick<OpenedKiosk['service'], 'setupKiosk'>, pin = TEST_PIN): Promise<string> {
  return (await api.setupKiosk({ pin, label: 'Test kiosk', location: 'Lab' })).session;
}

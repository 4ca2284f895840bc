import { openKiosk, type OpenedKiosk } from '../../electron/core/open-kiosk';
import { FakeClock } from './fake-clock';
import { MINI_PACK } from './paths';
import { tempDir } from './temp-dir';

/** A real kiosk core on a temporary data folder with the mini fixture pack and a hand-driven clock. */
export async function tempKiosk(dataDir = tempDir()): Promise<OpenedKiosk & { clock: FakeClock; dataDir: string }> {
  const clock = new FakeClock();
  const kiosk = await openKiosk({ dataDir, bundledPackDir: MINI_PACK, appVersion: '1.0.0', clock });
  return { ...kiosk, clock, dataDir };
}

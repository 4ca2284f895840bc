import type { Database } from 'better-sqlite3';
import type { KioskApi } from '../common/kiosk-api';
import { isoUtc, systemClock, type Clock } from './clock';
import { createKioskService } from './kiosk-service';
import { ensureKioskIdentity } from './log/kiosk-identity';
import { openLogDatabase } from './log/open-database';
import { createVisitLog } from './log/visit-log';
import { createPackStore, ensureActivePack, type PackStore } from './packs/pack-store';
import { dataPaths } from './paths';
import { createJsonFileSettings, type SettingsStore } from './settings';

export interface OpenKioskOptions {
  dataDir: string;
  /** The pack the app ships with, installed when the data folder has none. */
  bundledPackDir: string;
  appVersion: string;
  clock?: Clock;
  nativeBinding?: string;
  /** Electron passes its electron-store; browser mode keeps settings.json in the data folder. */
  settings?: SettingsStore;
}

export interface OpenedKiosk {
  service: KioskApi;
  packs: PackStore;
  db: Database;
  /**
   * Closes the visits left open when the renderer crashed or hung (the shell reloads it), as
   * 'recovered'; returns how many.
   */
  recoverOpenVisits(): number;
  close(): void;
}

/** Wires core for one data folder: the log, the packs and the settings behind one KioskApi. */
export async function openKiosk(options: OpenKioskOptions): Promise<OpenedKiosk> {
  const clock = options.clock ?? systemClock;
  const paths = dataPaths(options.dataDir);
  const { db, notices } = openLogDatabase({ file: paths.database, clock, nativeBinding: options.nativeBinding });
  try {
    const identity = ensureKioskIdentity(db, clock);
    const visitLog = createVisitLog(db, clock);
    const recovered = visitLog.closeOpenVisits('recovered');
    if (recovered > 0) {
      notices.push({
        code: 'visits-recovered',
        at: isoUtc(clock.now()),
        detail: `${recovered} visit(s) left open by an interrupted run were closed as "recovered".`,
      });
    }
    const packs = createPackStore(paths.packs);
    await ensureActivePack(packs, options.bundledPackDir, options.appVersion);
    const service = createKioskService({
      db,
      databaseFile: paths.database,
      dataDir: options.dataDir,
      visitLog,
      identity,
      packs,
      settings: options.settings ?? createJsonFileSettings(paths.settings),
      clock,
      appVersion: options.appVersion,
      notices,
    });
    return {
      service,
      packs,
      db,
      recoverOpenVisits: () => visitLog.closeOpenVisits('recovered'),
      close: () => {
        if (!db.open) return;
        visitLog.closeOpenVisits('shutdown');
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

import type { Database } from 'better-sqlite3';
import type { KioskApi } from '../common/kiosk-api';
import { isoUtc, systemClock, type Clock } from './clock';
import type { DriveRoots } from './admin/drives';
import { createKioskService } from './kiosk-service';
import type { KioskShell } from './kiosk-shell';
import { createAuditLog } from './log/audit-log';
import { createHeldAudit } from './log/held-writes';
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
  /** Native dialogs and quitting (Electron), or stopping the browser and host (`kiosk serve`). */
  shell?: KioskShell;
  /** Tests only: where removable drives are looked for. */
  driveRoots?: DriveRoots;
}

export interface OpenedKiosk {
  service: KioskApi;
  packs: PackStore;
  db: Database;
  /** The settings the service reads and the admin screen changes (shells schedule by them too). */
  settings: SettingsStore;
  /**
   * Closes the visits left open when the renderer crashed or hung (the shell reloads it), as
   * 'recovered'; returns how many.
   */
  recoverOpenVisits(): number;
  close(): void;
}

const MAX_NOTICES = 20;

/** Wires core for one data folder: the log, the packs and the settings behind one KioskApi. */
export async function openKiosk(options: OpenKioskOptions): Promise<OpenedKiosk> {
  const clock = options.clock ?? systemClock;
  const paths = dataPaths(options.dataDir);
  const { db, notices } = openLogDatabase({ file: paths.database, clock, nativeBinding: options.nativeBinding });
  try {
    const identity = ensureKioskIdentity(db, clock);
    // One audit trail for the whole kiosk: entries held while the disk is full are written in one order.
    const audit = createHeldAudit(createAuditLog(db, clock), clock);
    // What was recovered at start is shown in this run's status and stays in the audit trail afterwards.
    for (const notice of notices) audit.record({ actor: 'system', action: 'database.recovered', detail: { detail: notice.detail } });
    const visitLog = createVisitLog(db, clock, { audit });
    const recoverVisits = (code: 'visits-recovered' | 'renderer-recovered', cause: string) => {
      const recovered = visitLog.closeOpenVisits('recovered');
      if (recovered === 0) return 0;
      const detail =
        code === 'visits-recovered'
          ? `${recovered} visit(s) left open by an interrupted run were closed as "recovered".`
          : `The screen stopped responding and was reloaded; ${recovered} visit(s) it had open were closed as "recovered".`;
      notices.push({ code, at: isoUtc(clock.now()), detail });
      // A screen that keeps crashing must not grow the status without end; the audit trail keeps them all.
      if (notices.length > MAX_NOTICES) notices.splice(0, notices.length - MAX_NOTICES);
      audit.record({ actor: 'system', action: 'visits.recovered', detail: { count: recovered, cause } });
      return recovered;
    };
    recoverVisits('visits-recovered', 'start');
    const packs = createPackStore(paths.packs);
    await ensureActivePack(packs, options.bundledPackDir, options.appVersion);
    const settings = options.settings ?? createJsonFileSettings(paths.settings);
    const service = createKioskService({
      db,
      databaseFile: paths.database,
      dataDir: options.dataDir,
      visitLog,
      identity,
      packs,
      settings,
      clock,
      appVersion: options.appVersion,
      notices,
      audit,
      shell: options.shell,
      driveRoots: options.driveRoots,
    });
    return {
      service,
      packs,
      db,
      settings,
      recoverOpenVisits: () => recoverVisits('renderer-recovered', 'renderer'),
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

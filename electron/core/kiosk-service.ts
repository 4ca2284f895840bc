import type { Database } from 'better-sqlite3';
import { statfsSync, statSync } from 'node:fs';
import type { KioskApi, KioskNotice, KioskStatus } from '../common/kiosk-api';
import { KioskError } from '../common/kiosk-api';
import { isoUtc, type Clock } from './clock';
import type { KioskIdentity } from './log/kiosk-identity';
import type { VisitLog } from './log/visit-log';
import { checkPackAt } from './packs/check-pack-at';
import { PackInstallError } from './packs/pack-install-error';
import type { PackStore } from './packs/pack-store';
import { toCheckReport } from './packs/report-view';
import type { SettingsStore } from './settings';

export interface KioskServiceDeps {
  db: Database;
  databaseFile: string;
  dataDir: string;
  visitLog: VisitLog;
  identity: KioskIdentity;
  packs: PackStore;
  settings: SettingsStore;
  clock: Clock;
  appVersion: string;
  notices: KioskNotice[];
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** Local midnight as UTC ISO, so "visits today" means the kiosk's day, not Greenwich's. */
function startOfLocalDay(nowMs: number): string {
  const d = new Date(nowMs);
  d.setHours(0, 0, 0, 0);
  return isoUtc(d.getTime());
}

/** The single implementation of the contract; transports only carry its calls. */
export function createKioskService(deps: KioskServiceDeps): KioskApi {
  const activePack = () => {
    const pack = deps.packs.active();
    if (!pack) throw new KioskError('no-pack', 'No content pack is installed. Install one from the admin screen or with `kiosk pack install`.');
    return pack;
  };

  const lastExport = deps.db.prepare(
    'SELECT format, created_at AS at, to_seq AS toSeq FROM export ORDER BY export_id DESC LIMIT 1',
  );

  return {
    async getPack() {
      const { id, version, manifest } = activePack();
      return { id, version, manifest };
    },
    async getSettings() {
      return deps.settings.get();
    },
    async startVisit({ locale }) {
      const { id, version } = activePack();
      return deps.visitLog.startVisit({ id, version }, locale);
    },
    async logEvents({ visitId, events }) {
      return deps.visitLog.logEvents(visitId, events);
    },
    async endVisit({ visitId, reason }) {
      return deps.visitLog.endVisit(visitId, reason);
    },
    async getStatus(): Promise<KioskStatus> {
      const counts = deps.visitLog.counts(startOfLocalDay(deps.clock.now()));
      const pack = deps.packs.active();
      return {
        appVersion: deps.appVersion,
        kioskId: deps.identity.kioskId,
        label: deps.identity.label,
        location: deps.identity.location,
        dataDir: deps.dataDir,
        pack: pack ? { id: pack.id, version: pack.version } : null,
        visitsToday: counts.visitsSince,
        visitsTotal: counts.visitsTotal,
        eventsTotal: counts.eventsTotal,
        databaseBytes: fileSize(deps.databaseFile) + fileSize(`${deps.databaseFile}-wal`),
        freeDiskBytes: freeBytes(deps.dataDir),
        heldWrites: deps.visitLog.heldWrites(),
        lastExport: lastExport.get() as KioskStatus['lastExport'] ?? null,
        notices: [...deps.notices],
      };
    },
    // ADMIN-PENDING: replaced by the admin module (issue 6).
    async getAdminState() {
      return { setupNeeded: false, lockedUntil: null, failedAttempts: 0, capabilities: { pickPath: false, exit: false } };
    },
    async setupKiosk() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async unlockAdmin() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async lockAdmin() {},
    async changePin() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async updateSettings({ patch }) {
      return deps.settings.update(patch);
    },
    async setKioskInfo() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async getAuditLog() {
      return [];
    },
    async pickPath() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async listDrives() {
      return [];
    },
    async findPacks() {
      return [];
    },
    async exportLogs() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async exitKiosk() {
      throw new KioskError('unsupported', 'admin pending');
    },
    async listPacks() {
      return deps.packs.list();
    },
    async checkPack({ path }) {
      return toCheckReport(await checkPackAt(path, { appVersion: deps.appVersion }));
    },
    async installPack({ path, activate }) {
      try {
        const { pack, report } = await deps.packs.install(path, { appVersion: deps.appVersion, activate: activate ?? true });
        return { installed: true, pack: { id: pack.id, version: pack.version }, report: toCheckReport(report) };
      } catch (error) {
        if (error instanceof PackInstallError) return { installed: false, pack: null, report: toCheckReport(error.report) };
        throw error;
      }
    },
    async activatePack({ id, version }) {
      if (!deps.packs.dirOf(id, version)) throw new KioskError('not-found', `${id} ${version} is not installed`);
      const pack = deps.packs.activate(id, version);
      return { id: pack.id, version: pack.version };
    },
    async rollbackPack() {
      try {
        const pack = deps.packs.rollback();
        return { id: pack.id, version: pack.version };
      } catch (error) {
        throw new KioskError('bad-request', (error as Error).message);
      }
    },
  };
}

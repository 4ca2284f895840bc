import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { KioskApi, KioskNotice, KioskSettings, KioskStatus } from '../common/kiosk-api';
import { KioskError, toApiError } from '../common/kiosk-api';
import { createAdminAccess } from './admin/admin-access';
import { listDrives, SYSTEM_DRIVE_ROOTS, type DriveRoots } from './admin/drives';
import { findPacks } from './admin/find-packs';
import { createKioskInfo } from './admin/kiosk-info';
import { isoUtc, type Clock } from './clock';
import type { KioskShell } from './kiosk-shell';
import { exportLogs } from './log/export/export-logs';
import { describeError, isStorageFailure, type HeldAudit } from './log/held-writes';
import type { KioskIdentity } from './log/kiosk-identity';
import type { VisitLog } from './log/visit-log';
import { checkPackAt } from './packs/check-pack-at';
import { PackInstallError } from './packs/pack-install-error';
import type { PackStore } from './packs/pack-store';
import { toCheckReport } from './packs/report-view';
import type { SettingsStore } from './settings';
import { freeBytes } from './disk-space';

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
  /** Things noticed by this run (a recovered database or visits), shown in the status. */
  notices: KioskNotice[];
  /** The audit trail, shared with the visit log so entries held for disk space keep one order. */
  audit: HeldAudit;
  /** What the shell around core can do (dialogs, quitting); absent in plain Node. */
  shell?: KioskShell | undefined;
  /** Where removable drives are looked for; the real system's by default. */
  driveRoots?: DriveRoots | undefined;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Local midnight as UTC ISO, so "visits today" means the kiosk's day, not Greenwich's. */
function startOfLocalDay(nowMs: number): string {
  const d = new Date(nowMs);
  d.setHours(0, 0, 0, 0);
  return isoUtc(d.getTime());
}

/** The keys a settings update really changed, with both values, for the audit trail. */
function settingsChanges(before: KioskSettings, after: KioskSettings): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof KioskSettings)[]) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}

/** A full disk (the kiosk's or an export stick's) is something staff can act on, so it gets its own code. */
function storageFullError(error: unknown): unknown {
  if (!isStorageFailure(error)) return error;
  return new KioskError('storage-full', `The disk is full or cannot be written (${describeError(error)}). Free some space or use another drive.`);
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
  // Admin actions must not fail because their audit row cannot be written on a full disk: exporting and
  // clearing space is exactly what staff unlock the screen for then. Such rows wait in memory.
  const { audit } = deps;
  const admin = createAdminAccess({ db: deps.db, clock: deps.clock, audit, shell: deps.shell });
  const kioskInfo = createKioskInfo(deps.db);

  /**
   * Runs a staff action and audits its outcome, failures included. `outcome` adds what the result says
   * (a pack's id and version, the files written); no detail ever carries a PIN.
   */
  const audited = async <T>(
    action: string,
    detail: Record<string, unknown>,
    work: () => T | Promise<T>,
    outcome: (value: T) => { ok?: boolean; detail?: Record<string, unknown> } = () => ({}),
  ): Promise<T> => {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      const reported = storageFullError(error);
      const { code, message } = toApiError(reported);
      audit.record({ actor: 'staff', action, ok: false, detail: { ...detail, error: code, message } });
      throw reported;
    }
    const result = outcome(value);
    audit.record({ actor: 'staff', action, ok: result.ok ?? true, detail: { ...detail, ...result.detail } });
    return value;
  };

  const needShell = <K extends keyof KioskShell>(capability: K): NonNullable<KioskShell[K]> => {
    const fn = deps.shell?.[capability];
    if (!fn) {
      const what = capability === 'exit' ? 'Closing the kiosk' : 'A file dialog';
      throw new KioskError('unsupported', `${what} is only available in the kiosk app, not in browser mode.`);
    }
    return fn as NonNullable<KioskShell[K]>;
  };

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
      // Label and location are read each time: staff may have just changed them on the admin screen.
      const { label, location } = kioskInfo.read();
      return {
        appVersion: deps.appVersion,
        kioskId: deps.identity.kioskId,
        label,
        location,
        dataDir: deps.dataDir,
        pack: pack ? { id: pack.id, version: pack.version } : null,
        visitsToday: counts.visitsSince,
        visitsTotal: counts.visitsTotal,
        eventsTotal: counts.eventsTotal,
        databaseBytes: fileSize(deps.databaseFile) + fileSize(`${deps.databaseFile}-wal`),
        freeDiskBytes: freeBytes(deps.dataDir),
        heldWrites: deps.visitLog.heldWrites(),
        lastExport: (lastExport.get() as KioskStatus['lastExport'] | undefined) ?? null,
        notices: [...deps.notices, ...deps.visitLog.notices()],
      };
    },

    async getAdminState() {
      return admin.state();
    },
    async setupKiosk(args) {
      return admin.setup(args);
    },
    async unlockAdmin(args) {
      return admin.unlock(args);
    },
    async lockAdmin({ session }) {
      admin.lock(session);
    },
    async changePin(args) {
      return admin.changePin(args);
    },
    async updateSettings({ session, patch }) {
      admin.requireSession(session);
      const before = deps.settings.get();
      return audited(
        'settings.update',
        {},
        () => deps.settings.update(patch),
        (after) => ({ detail: { changes: settingsChanges(before, after) } }),
      );
    },
    async setKioskInfo({ session, label, location }) {
      admin.requireSession(session);
      const before = kioskInfo.read();
      const after = { label: label.trim(), location: location.trim() };
      await audited(
        'kiosk.info',
        { label: { from: before.label, to: after.label }, location: { from: before.location, to: after.location } },
        () => kioskInfo.write(after),
      );
    },
    async getAuditLog({ session, limit }) {
      admin.requireSession(session);
      return audit.recent(limit ?? 100);
    },
    async pickPath({ session, purpose }) {
      admin.requireSession(session);
      return needShell('pickPath')(purpose);
    },
    async listDrives({ session }) {
      admin.requireSession(session);
      return listDrives(deps.driveRoots ?? SYSTEM_DRIVE_ROOTS);
    },
    async findPacks({ session, dir }) {
      admin.requireSession(session);
      return findPacks(dir);
    },
    async exportLogs({ session, format, range, lang, outDir }) {
      admin.requireSession(session);
      if (range.kind === 'dates' && range.from > range.to) {
        throw new KioskError('bad-request', `The range starts (${range.from}) after it ends (${range.to}).`);
      }
      return audited(
        'export.write',
        { format, range, outDir },
        () => exportLogs(deps.db, { format, range, lang, outDir, now: deps.clock.now(), appVersion: deps.appVersion }),
        (result) => ({
          detail: {
            files: result.files.map((f) => ({ name: basename(f.path), rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
            rows: result.files.reduce((sum, f) => sum + f.rows, 0),
            fromSeq: result.fromSeq,
            toSeq: result.toSeq,
          },
        }),
      );
    },
    async exitKiosk({ session }) {
      admin.requireSession(session);
      const exit = needShell('exit');
      audit.record({ actor: 'staff', action: 'kiosk.exit' });
      exit();
    },
    async listPacks({ session }) {
      admin.requireSession(session);
      return deps.packs.list();
    },
    async checkPack({ session, path }) {
      admin.requireSession(session);
      return audited(
        'pack.check',
        { path },
        async () => toCheckReport(await checkPackAt(path, { appVersion: deps.appVersion })),
        (report) => ({ ok: report.ok, detail: { pack: report.pack, errors: report.errors.length, warnings: report.warnings.length } }),
      );
    },
    async installPack({ session, path, activate }) {
      admin.requireSession(session);
      const activating = activate ?? true;
      return audited(
        'pack.install',
        { path, activate: activating },
        async () => {
          try {
            const { pack, report } = await deps.packs.install(path, { appVersion: deps.appVersion, activate: activating });
            return { installed: true, pack: { id: pack.id, version: pack.version }, report: toCheckReport(report) };
          } catch (error) {
            if (error instanceof PackInstallError) return { installed: false, pack: null, report: toCheckReport(error.report) };
            throw error;
          }
        },
        (result) => ({
          ok: result.installed,
          detail: { pack: result.pack ?? result.report.pack, installed: result.installed, errors: result.report.errors.map((e) => e.code) },
        }),
      );
    },
    async activatePack({ session, id, version }) {
      admin.requireSession(session);
      return audited('pack.activate', { pack: { id, version } }, () => {
        if (!deps.packs.dirOf(id, version)) throw new KioskError('not-found', `${id} ${version} is not installed`);
        const pack = deps.packs.activate(id, version);
        return { id: pack.id, version: pack.version };
      });
    },
    async rollbackPack({ session }) {
      admin.requireSession(session);
      const from = deps.packs.active();
      return audited(
        'pack.rollback',
        { from: from ? { id: from.id, version: from.version } : null },
        () => {
          try {
            const pack = deps.packs.rollback();
            return { id: pack.id, version: pack.version };
          } catch (error) {
            throw new KioskError('bad-request', (error as Error).message);
          }
        },
        (to) => ({ detail: { to } }),
      );
    },
  };
}

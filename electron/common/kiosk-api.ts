import { z } from 'zod';
import { clientEventSchema, endReasonSchema, type ClientEvent, type EndReason } from './events';
import { KioskError, type ApiError, type Envelope } from './envelope';
import { KIOSK_METHODS, type KioskMethodName } from './kiosk-methods';
import type { Locale, LocalizedText } from './locales';
import { localeSchema, type PackManifest } from './pack-schema';

/**
 * The one contract between the visitor UI and the kiosk. Core implements it once; Electron IPC and the
 * loopback host carry it unchanged, so the renderer never knows which transport it has.
 */
export interface KioskApi {
  getPack(): Promise<ActivePack>;
  getSettings(): Promise<KioskSettings>;
  startVisit(args: StartVisitArgs): Promise<StartedVisit>;
  logEvents(args: LogEventsArgs): Promise<LoggedEvents>;
  endVisit(args: EndVisitArgs): Promise<EndedVisit>;
  getStatus(): Promise<KioskStatus>;

  // Staff admin. Everything below getAdminState/setupKiosk/unlockAdmin needs the session that
  // unlockAdmin (or setupKiosk) returned; a missing or expired one fails with 'admin-required'.
  /** Whether a PIN exists yet, any lockout in force, and what this shell can do. Needs no session. */
  getAdminState(): Promise<AdminState>;
  /** First start only (no PIN yet): sets the PIN, label and location, and opens a session. */
  setupKiosk(args: SetupKioskArgs): Promise<AdminSession>;
  /** Checks the PIN; wrong PINs fail with 'wrong-pin', then lock out with growing delays ('locked-out'). */
  unlockAdmin(args: UnlockAdminArgs): Promise<AdminSession>;
  lockAdmin(args: SessionArgs): Promise<void>;
  changePin(args: ChangePinArgs): Promise<void>;
  /** Changes settings; they apply to the running kiosk without a restart. */
  updateSettings(args: UpdateSettingsArgs): Promise<KioskSettings>;
  setKioskInfo(args: SetKioskInfoArgs): Promise<void>;
  /** Recent audit entries, newest first: admin actions, recoveries, clock jumps, errors. */
  getAuditLog(args: AuditLogArgs): Promise<AuditEntry[]>;
  /** A native file or folder dialog (Electron); 'unsupported' in browser mode. Null when cancelled. */
  pickPath(args: PickPathArgs): Promise<string | null>;
  /** Mounted removable drives (USB sticks) to offer as pack sources and export destinations. */
  listDrives(args: SessionArgs): Promise<DriveView[]>;
  /** Pack folders and .kpack files found in a folder (two levels deep), so staff pick one by touch. */
  findPacks(args: FindPacksArgs): Promise<PackSourceView[]>;
  /** Writes an export (CSV, XLSX, xAPI or a signed sync bundle) into a folder. */
  exportLogs(args: ExportLogsArgs): Promise<ExportResultView>;
  /** Closes the kiosk: Electron quits; browser mode stops its browser and host (a service manager may restart them). */
  exitKiosk(args: SessionArgs): Promise<void>;
  /** Installed pack versions (for the admin screen). */
  listPacks(args: SessionArgs): Promise<InstalledPackView[]>;
  /** Validates a folder or .kpack without installing it. */
  checkPack(args: PackPathArgs): Promise<PackCheckReport>;
  /** Validates in staging and, when valid, installs (and by default activates) the pack. */
  installPack(args: InstallPackArgs): Promise<PackInstallResult>;
  activatePack(args: PackRefArgs): Promise<PackRef>;
  rollbackPack(args: SessionArgs): Promise<PackRef>;
}

const pathArg = z.string().min(1).max(4096);
const sessionArg = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);
const pinArg = z.string().regex(/^\d{4,12}$/, 'A PIN is 4 to 12 digits');
const shortText = z.string().trim().max(120);

export const sessionArgsSchema = z.strictObject({ session: sessionArg });
export type SessionArgs = { session: string };

export interface AdminState {
  /** No PIN yet: the kiosk shows first-start setup. */
  setupNeeded: boolean;
  /** While set (UTC ISO), every PIN attempt fails with 'locked-out'. */
  lockedUntil: string | null;
  /** Wrong attempts since the last success (the lockout grows with them). */
  failedAttempts: number;
  capabilities: { pickPath: boolean; exit: boolean };
}
export interface AdminSession {
  session: string;
  /** Sessions end after a few idle minutes, so a kiosk left in admin locks itself. */
  expiresAt: string;
}
export const setupKioskArgsSchema = z.strictObject({ pin: pinArg, label: shortText, location: shortText });
export type SetupKioskArgs = { pin: string; label: string; location: string };
export const unlockAdminArgsSchema = z.strictObject({ pin: pinArg });
export type UnlockAdminArgs = { pin: string };
export const changePinArgsSchema = z.strictObject({ session: sessionArg, currentPin: pinArg, newPin: pinArg });
export type ChangePinArgs = { session: string; currentPin: string; newPin: string };
export const setKioskInfoArgsSchema = z.strictObject({ session: sessionArg, label: shortText, location: shortText });
export type SetKioskInfoArgs = { session: string; label: string; location: string };
export const auditLogArgsSchema = z.strictObject({ session: sessionArg, limit: z.int().min(1).max(500).optional() });
export type AuditLogArgs = { session: string; limit?: number | undefined };
export interface AuditEntry {
  auditId: number;
  at: string;
  /** 'staff' (admin screen), 'cli' (a command on the machine) or 'system' (the kiosk itself). */
  actor: 'staff' | 'cli' | 'system';
  action: string;
  ok: boolean;
  detail: Record<string, unknown>;
}
export const pickPathArgsSchema = z.strictObject({ session: sessionArg, purpose: z.enum(['pack-folder', 'pack-file', 'export-folder']) });
export type PickPathArgs = { session: string; purpose: 'pack-folder' | 'pack-file' | 'export-folder' };
export interface DriveView {
  path: string;
  label: string;
  freeBytes: number | null;
}
export const findPacksArgsSchema = z.strictObject({ session: sessionArg, dir: pathArg });
export type FindPacksArgs = { session: string; dir: string };
export interface PackSourceView {
  path: string;
  kind: 'folder' | 'kpack';
  /** The file or folder name, for the list. */
  name: string;
  bytes: number | null;
}
export const EXPORT_FORMATS = ['csv', 'xlsx', 'xapi', 'bundle'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const exportRangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('since-last') }),
  z.strictObject({ kind: z.literal('dates'), from: calendarDate, to: calendarDate }),
]);
export type ExportRangeArg = { kind: 'all' } | { kind: 'since-last' } | { kind: 'dates'; from: string; to: string };
export const exportLogsArgsSchema = z.strictObject({
  session: sessionArg,
  format: z.enum(EXPORT_FORMATS),
  range: exportRangeSchema,
  lang: localeSchema,
  outDir: pathArg,
});
export type ExportLogsArgs = { session: string; format: ExportFormat; range: ExportRangeArg; lang: Locale; outDir: string };
export interface ExportResultView {
  files: { path: string; rows: number; bytes: number; sha256: string }[];
  /** The seq range written; an empty export has toSeq = fromSeq - 1. */
  fromSeq: number;
  toSeq: number;
}

export interface PackRef {
  id: string;
  version: string;
}
export interface InstalledPackView extends PackRef {
  title: LocalizedText;
  installedAt: string;
  active: boolean;
  previous: boolean;
}
/** One finding, already worded in both languages so the admin screen needs no catalogue of its own. */
export interface PackIssueView {
  code: string;
  where: string;
  line?: number;
  message: Record<Locale, string>;
}
export interface PackCheckReport {
  ok: boolean;
  pack: PackRef | null;
  errors: PackIssueView[];
  warnings: PackIssueView[];
}
export interface PackInstallResult {
  installed: boolean;
  pack: PackRef | null;
  report: PackCheckReport;
}

export const packPathArgsSchema = z.strictObject({ session: sessionArg, path: pathArg });
export type PackPathArgs = { session: string; path: string };
export const installPackArgsSchema = z.strictObject({ session: sessionArg, path: pathArg, activate: z.boolean().optional() });
export type InstallPackArgs = { session: string; path: string; activate?: boolean | undefined };
const versionPart = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+-]*$/).max(200);
export const packRefArgsSchema = z.strictObject({ session: sessionArg, id: versionPart, version: versionPart });
export type PackRefArgs = PackRef & { session: string };

export interface ActivePack {
  id: string;
  version: string;
  manifest: PackManifest;
}

export const kioskSettingsSchema = z.object({
  /** Seconds without a touch before the "Are you still there?" countdown starts. */
  idleTimeoutSeconds: z.int().min(5).max(3600).default(90),
  /** Length of that countdown. */
  idleCountdownSeconds: z.int().min(3).max(60).default(10),
  /** The language a fresh visit starts in; null follows the pack's default. */
  defaultLocale: localeSchema.nullable().default(null),
  volume: z.number().min(0).max(1).default(0.8),
  /** Local "HH:MM" at which the kiosk restarts itself each night (between visits); null = never. */
  nightlyRestart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).nullable().default(null),
});
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;
export const updateSettingsArgsSchema = z.strictObject({ session: sessionArg, patch: kioskSettingsSchema.partial().strict() });
export type UpdateSettingsArgs = { session: string; patch: Partial<KioskSettings> };

export const startVisitArgsSchema = z.strictObject({ locale: localeSchema });
export type StartVisitArgs = { locale: Locale };
export interface StartedVisit {
  visitId: string;
  startedAt: string;
}

export const logEventsArgsSchema = z.strictObject({
  visitId: z.uuid(),
  events: z.array(clientEventSchema).min(1).max(500),
});
export type LogEventsArgs = { visitId: string; events: ClientEvent[] };
export interface LoggedEvents {
  /** Events committed durably by this call. */
  acknowledged: number;
  /**
   * Events the kiosk accepted but could not write yet (a full disk): it keeps them in memory, in
   * order, and writes them when space returns. The caller must not send them again.
   */
  held: number;
  lastSeq: number;
}

export const endVisitArgsSchema = z.strictObject({ visitId: z.uuid(), reason: endReasonSchema });
export type EndVisitArgs = { visitId: string; reason: EndReason };
export interface EndedVisit {
  visitId: string;
  endedAt: string;
  durationMs: number;
}

export interface KioskStatus {
  appVersion: string;
  kioskId: string;
  label: string;
  location: string;
  dataDir: string;
  pack: { id: string; version: string } | null;
  visitsToday: number;
  visitsTotal: number;
  eventsTotal: number;
  databaseBytes: number;
  /** Free bytes on the data folder's disk; null when it cannot be read. */
  freeDiskBytes: number | null;
  /** Writes waiting for disk space (see LoggedEvents.held); 0 in normal running. */
  heldWrites: number;
  /** The newest export or bundle written, if any. */
  lastExport: { format: string; at: string; toSeq: number } | null;
  /** Things staff should know about, e.g. a corrupt database that was moved aside at start. */
  notices: KioskNotice[];
}
export interface KioskNotice {
  code: 'database-recovered' | 'visits-recovered' | 'storage-full' | 'clock-jump' | 'renderer-recovered';
  at: string;
  detail: string;
}

const noArgs = z.tuple([]);

/**
 * Argument schemas, one per method. The mapped type makes the compiler reject a method that is missing
 * here or whose schema does not match its parameters, so transports can never drift from the interface.
 */
export const kioskApiArgs: { [M in keyof KioskApi]: z.ZodType<Parameters<KioskApi[M]>> } = {
  getPack: noArgs,
  getSettings: noArgs,
  startVisit: z.tuple([startVisitArgsSchema]),
  logEvents: z.tuple([logEventsArgsSchema]),
  endVisit: z.tuple([endVisitArgsSchema]),
  getStatus: noArgs,
  getAdminState: noArgs,
  setupKiosk: z.tuple([setupKioskArgsSchema]),
  unlockAdmin: z.tuple([unlockAdminArgsSchema]),
  lockAdmin: z.tuple([sessionArgsSchema]),
  changePin: z.tuple([changePinArgsSchema]),
  updateSettings: z.tuple([updateSettingsArgsSchema]),
  setKioskInfo: z.tuple([setKioskInfoArgsSchema]),
  getAuditLog: z.tuple([auditLogArgsSchema]),
  pickPath: z.tuple([pickPathArgsSchema]),
  listDrives: z.tuple([sessionArgsSchema]),
  findPacks: z.tuple([findPacksArgsSchema]),
  exportLogs: z.tuple([exportLogsArgsSchema]),
  exitKiosk: z.tuple([sessionArgsSchema]),
  listPacks: z.tuple([sessionArgsSchema]),
  checkPack: z.tuple([packPathArgsSchema]),
  installPack: z.tuple([installPackArgsSchema]),
  activatePack: z.tuple([packRefArgsSchema]),
  rollbackPack: z.tuple([sessionArgsSchema]),
};

export type KioskMethod = keyof KioskApi;
// Compile-time proof that the plain method list names every method of the interface and nothing else.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodListMatchesInterface: Same<KioskMethodName, KioskMethod> = true;
void methodListMatchesInterface;
export { KIOSK_METHODS };
export { KIOSK_IPC_CHANNEL } from './kiosk-methods';

export function isKioskMethod(name: unknown): name is KioskMethod {
  return typeof name === 'string' && Object.hasOwn(kioskApiArgs, name);
}

export { KioskError, unwrapEnvelope, type ApiError, type Envelope, type ErrorCode } from './envelope';

export function toApiError(error: unknown): ApiError {
  if (error instanceof KioskError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) return { code: 'bad-request', message: z.prettifyError(error) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Runs a validated call against an implementation and wraps the outcome; both transports use it. */
export async function dispatch(api: KioskApi, method: string, args: unknown): Promise<Envelope<unknown>> {
  if (!isKioskMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `Unknown method: ${method}` } };
  try {
    // Arguments from outside the process pass the contract's schema before the implementation sees them.
    const parsed = kioskApiArgs[method].parse(args) as unknown[];
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn.apply(api, parsed) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

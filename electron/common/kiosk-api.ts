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
  /** Installed pack versions (for the admin screen). */
  listPacks(): Promise<InstalledPackView[]>;
  /** Validates a folder or .kpack without installing it. */
  checkPack(args: PackPathArgs): Promise<PackCheckReport>;
  /** Validates in staging and, when valid, installs (and by default activates) the pack. */
  installPack(args: InstallPackArgs): Promise<PackInstallResult>;
  activatePack(args: PackRefArgs): Promise<PackRef>;
  rollbackPack(): Promise<PackRef>;
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

const pathArg = z.string().min(1).max(4096);
export const packPathArgsSchema = z.strictObject({ path: pathArg });
export type PackPathArgs = { path: string };
export const installPackArgsSchema = z.strictObject({ path: pathArg, activate: z.boolean().optional() });
export type InstallPackArgs = { path: string; activate?: boolean | undefined };
const versionPart = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+-]*$/).max(200);
export const packRefArgsSchema = z.strictObject({ id: versionPart, version: versionPart });
export type PackRefArgs = PackRef;

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
});
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;

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
  /** Things staff should know about, e.g. a corrupt database that was moved aside at start. */
  notices: KioskNotice[];
}
export interface KioskNotice {
  code: 'database-recovered' | 'visits-recovered';
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
  listPacks: noArgs,
  checkPack: z.tuple([packPathArgsSchema]),
  installPack: z.tuple([installPackArgsSchema]),
  activatePack: z.tuple([packRefArgsSchema]),
  rollbackPack: noArgs,
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

/**
 * The contract's method names, kept apart from the zod schemas so the sandboxed preload can build its
 * bridge without bundling a validator. kiosk-api.ts checks at compile time that this list and the
 * KioskApi interface name exactly the same methods.
 */
export const KIOSK_METHODS = [
  'getPack',
  'getSettings',
  'startVisit',
  'logEvents',
  'endVisit',
  'getStatus',
  'getAdminState',
  'setupKiosk',
  'unlockAdmin',
  'lockAdmin',
  'changePin',
  'updateSettings',
  'setKioskInfo',
  'getAuditLog',
  'pickPath',
  'listDrives',
  'findPacks',
  'exportLogs',
  'exitKiosk',
  'listPacks',
  'checkPack',
  'installPack',
  'activatePack',
  'rollbackPack',
] as const;
export type KioskMethodName = (typeof KIOSK_METHODS)[number];

/** The name of the single IPC channel the Electron transport uses. */
export const KIOSK_IPC_CHANNEL = 'kiosk:call';

import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Schema } from 'electron-store';
import { z } from 'zod';
import { kioskSettingsSchema, type KioskSettings } from '../common/kiosk-api';
import { createJsonFileSettings, DEFAULT_SETTINGS, type SettingsStore } from '../core/settings';
import { writeFileAtomic } from '../core/write-file-atomic';

/** electron-store keeps the settings in userData/settings.json. */
export const SETTINGS_STORE_NAME = 'settings';

/**
 * The JSON Schema electron-store (ajv) checks every write against, derived from the contract's zod schema
 * so the two can never disagree: a field added to kioskSettingsSchema is validated here too.
 */
export function settingsJsonSchema(): Schema<KioskSettings> {
  // zod emits plain JSON Schema objects; electron-store's type for them is a stricter mirror of the same.
  const schema = z.toJSONSchema(kioskSettingsSchema, { target: 'draft-07' }) as unknown as { properties: Schema<KioskSettings> };
  return schema.properties;
}

export function settingsStoreOptions() {
  return { name: SETTINGS_STORE_NAME, schema: settingsJsonSchema(), defaults: DEFAULT_SETTINGS, clearInvalidConfig: true };
}

/**
 * electron-store refuses to open a file that breaks its schema, and its clearInvalidConfig would throw the
 * whole file away. So before it opens, one bad value (a hand edit, an older version) is replaced by its
 * default while the valid ones stay, with the same per-field rule browser mode's settings.json uses; a file
 * that is not JSON at all is kept beside it as settings.json.unreadable.
 */
export function repairSettingsFile(file: string, log: (line: string) => void): void {
  if (!existsSync(file)) return;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    raw = undefined;
  }
  const repaired = createJsonFileSettings(file).get();
  const stored = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  if (!stored) {
    copyFileSync(file, `${file}.unreadable`);
    log(`Settings file ${file} was not readable JSON; kept it as ${file}.unreadable and started from the defaults.`);
    writeFileAtomic(file, `${JSON.stringify(repaired, null, '\t')}\n`);
    return;
  }
  const bad = (Object.keys(repaired) as (keyof KioskSettings)[]).filter(
    (key) => stored[key] !== undefined && !isDeepStrictEqual(stored[key], repaired[key]),
  );
  if (bad.length === 0) return;
  for (const key of bad) log(`Setting ${key} = ${JSON.stringify(stored[key])} is not valid; using ${JSON.stringify(repaired[key])}.`);
  writeFileAtomic(file, `${JSON.stringify({ ...stored, ...repaired }, null, '\t')}\n`);
}

/** The one property of electron-store (conf) this needs, so tests can use conf itself without Electron. */
export interface SettingsBackingStore {
  store: Record<string, unknown>;
}

/** Settings in electron-store; every read is checked against the contract's schema and falls back to defaults. */
export function createElectronSettings(store: SettingsBackingStore): SettingsStore {
  const read = (): KioskSettings => {
    const parsed = kioskSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...store.store });
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  };
  return {
    get: read,
    update(patch) {
      const next = kioskSettingsSchema.parse({ ...read(), ...patch });
      store.store = { ...store.store, ...next };
      return next;
    },
  };
}

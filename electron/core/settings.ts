import { existsSync, readFileSync } from 'node:fs';
import { kioskSettingsSchema, type KioskSettings } from '../common/kiosk-api';
import { writeFileAtomic } from './write-file-atomic';

/** What core needs of settings; Electron backs it with electron-store, browser mode with a JSON file. */
export interface SettingsStore {
  get(): KioskSettings;
  update(patch: Partial<KioskSettings>): KioskSettings;
}

export const DEFAULT_SETTINGS: KioskSettings = kioskSettingsSchema.parse({});

/**
 * Settings in a JSON file in the data folder. A file with a bad value keeps the valid ones and falls back
 * to defaults for the rest, so a hand edit gone wrong never stops the kiosk.
 */
export function createJsonFileSettings(file: string): SettingsStore {
  const read = (): KioskSettings => {
    if (!existsSync(file)) return DEFAULT_SETTINGS;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return DEFAULT_SETTINGS;
    }
    const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const shape = kioskSettingsSchema.shape;
    for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
      const parsed = shape[key].safeParse(raw[key]);
      if (parsed.success && raw[key] !== undefined) result[key] = parsed.data;
    }
    return result as KioskSettings;
  };
  return {
    get: read,
    update(patch) {
      const next = kioskSettingsSchema.parse({ ...read(), ...patch });
      writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      return next;
    },
  };
}

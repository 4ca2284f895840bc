import Store from 'electron-store';
import { kioskSettingsSchema, type KioskSettings } from '../common/kiosk-api';
import { DEFAULT_SETTINGS, type SettingsStore } from '../core/settings';

/** Settings in electron-store (userData/config.json); every read is checked against the contract's schema. */
export function createElectronSettings(): SettingsStore {
  const store = new Store<KioskSettings>({ name: 'settings', defaults: DEFAULT_SETTINGS, clearInvalidConfig: true });
  const read = (): KioskSettings => {
    const parsed = kioskSettingsSchema.safeParse(store.store);
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  };
  return {
    get: read,
    update(patch) {
      const next = kioskSettingsSchema.parse({ ...read(), ...patch });
      store.set(next);
      return next;
    },
  };
}

import Conf from 'conf';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { kioskSettingsSchema, type KioskSettings } from '../../electron/common/kiosk-api';
import { DEFAULT_SETTINGS } from '../../electron/core/settings';
import {
  createElectronSettings,
  repairSettingsFile,
  settingsJsonSchema,
  settingsStoreOptions,
  SETTINGS_STORE_NAME,
} from '../../electron/main/electron-settings';
import { tempDir } from '../helpers/temp-dir';

/**
 * electron-store is conf with Electron's userData as the folder; conf itself runs without Electron, so
 * these tests open the settings exactly as main does, with the same options and the same ajv validation.
 */
function openLikeElectronStore(dir: string) {
  const { name, ...options } = settingsStoreOptions();
  return new Conf<KioskSettings>({ ...options, cwd: dir, configName: name });
}
const fileIn = (dir: string) => join(dir, `${SETTINGS_STORE_NAME}.json`);

describe('electron-store settings', () => {
  it('derives its JSON Schema from the contract, nightlyRestart included', () => {
    const schema = settingsJsonSchema();
    expect(Object.keys(schema).sort()).toEqual(Object.keys(kioskSettingsSchema.shape).sort());
    expect(JSON.stringify(schema.nightlyRestart)).toContain('pattern');
    expect(schema.nightlyRestart).toMatchObject({ default: null });
  });

  it('starts from the defaults and writes them', () => {
    const dir = tempDir();
    const settings = createElectronSettings(openLikeElectronStore(dir));
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.get().nightlyRestart).toBeNull();
    expect(JSON.parse(readFileSync(fileIn(dir), 'utf8'))).toMatchObject(DEFAULT_SETTINGS);
  });

  it('keeps an update across reopening, and refuses an invalid one', () => {
    const dir = tempDir();
    const settings = createElectronSettings(openLikeElectronStore(dir));
    expect(settings.update({ nightlyRestart: '03:15', volume: 0.5 })).toMatchObject({ nightlyRestart: '03:15', volume: 0.5 });
    expect(() => settings.update({ nightlyRestart: '25:00' })).toThrow();
    expect(createElectronSettings(openLikeElectronStore(dir)).get()).toMatchObject({ nightlyRestart: '03:15', volume: 0.5 });
  });

  it('the schema itself rejects a bad value written through the store', () => {
    const store = openLikeElectronStore(tempDir());
    expect(() => store.set('nightlyRestart', '3 am')).toThrow(/schema violation/);
    expect(() => store.set('idleTimeoutSeconds', 1)).toThrow(/schema violation/);
  });

  it('replaces a bad stored value by its default and keeps the good ones', () => {
    const dir = tempDir();
    writeFileSync(fileIn(dir), JSON.stringify({ volume: 7, nightlyRestart: '02:45', idleTimeoutSeconds: 'soon' }));
    // Without the repair electron-store (conf) refuses to open this file at all.
    expect(() => new Conf({ ...settingsStoreOptions(), clearInvalidConfig: false, cwd: dir, configName: SETTINGS_STORE_NAME })).toThrow(/schema violation/);
    const log = vi.fn();
    repairSettingsFile(fileIn(dir), log);
    expect(log).toHaveBeenCalledWith('Setting volume = 7 is not valid; using 0.8.');
    expect(log).toHaveBeenCalledWith('Setting idleTimeoutSeconds = "soon" is not valid; using 90.');
    const settings = createElectronSettings(openLikeElectronStore(dir));
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, nightlyRestart: '02:45' });
  });

  it('keeps a file that is not JSON aside and starts from the defaults', () => {
    const dir = tempDir();
    writeFileSync(fileIn(dir), '{"volume": 0.3,');
    const log = vi.fn();
    repairSettingsFile(fileIn(dir), log);
    expect(readFileSync(`${fileIn(dir)}.unreadable`, 'utf8')).toBe('{"volume": 0.3,');
    expect(createElectronSettings(openLikeElectronStore(dir)).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('leaves a valid file and a missing file untouched', () => {
    const dir = tempDir();
    const log = vi.fn();
    repairSettingsFile(fileIn(dir), log);
    expect(existsSync(fileIn(dir))).toBe(false);
    const text = JSON.stringify({ ...DEFAULT_SETTINGS, volume: 0.4 });
    writeFileSync(fileIn(dir), text);
    repairSettingsFile(fileIn(dir), log);
    expect(readFileSync(fileIn(dir), 'utf8')).toBe(text);
    expect(log).not.toHaveBeenCalled();
  });

  it('falls back to the defaults if the file goes bad while running', () => {
    const dir = tempDir();
    const settings = createElectronSettings(openLikeElectronStore(dir));
    settings.update({ volume: 0.2 });
    writeFileSync(fileIn(dir), JSON.stringify({ volume: 'loud' }));
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });
});

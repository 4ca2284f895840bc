import type { Database } from 'better-sqlite3';

export interface KioskInfo {
  label: string;
  location: string;
}

/** The editable part of the kiosk's identity, read fresh each time so a change shows without a restart. */
export function createKioskInfo(db: Database) {
  const select = db.prepare('SELECT label, location FROM kiosk WHERE singleton = 1');
  const update = db.prepare('UPDATE kiosk SET label = ?, location = ? WHERE singleton = 1');
  return {
    read: (): KioskInfo => (select.get() as KioskInfo | undefined) ?? { label: '', location: '' },
    write(info: KioskInfo): void {
      update.run(info.label.trim(), info.location.trim());
    },
  };
}

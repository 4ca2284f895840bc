import type { PickPathArgs } from '../common/kiosk-api';

/**
 * What only the shell around core can do: Electron shows native dialogs and quits the app; browser mode
 * (`kiosk serve --open`) can stop its browser and host. A missing capability is reported to the admin
 * screen by getAdminState, which then offers the alternative (a list of drives instead of a dialog).
 */
export interface KioskShell {
  pickPath?(purpose: PickPathArgs['purpose']): Promise<string | null>;
  exit?(): void;
}

import type { Page } from '@playwright/test';
import { E2E_ADMIN_PIN, expect } from './kiosk-fixture';

/** Staff's touches on the admin, shared by the admin and accessibility specs. */

/** The hidden gesture: taps in the top-left corner, `gapMs` apart. */
export async function cornerTaps(page: Page, count = 5, gapMs = 150): Promise<void> {
  for (let i = 0; i < count; i++) {
    await page.touchscreen.tap(20, 20);
    if (i < count - 1) await page.waitForTimeout(gapMs);
  }
}

export async function tapPin(page: Page, pin: string, pad = 'pin-pad'): Promise<void> {
  for (const digit of pin) await page.getByTestId(`${pad}-key-${digit}`).tap();
  await page.getByTestId(`${pad}-ok`).tap();
}

/** Types on the on-screen keyboard, key by key, as staff do (Shift for each capital). */
export async function typeByTouch(page: Page, entry: string, text: string): Promise<void> {
  for (const ch of text) {
    if (ch === ' ') {
      await page.getByTestId(`${entry}-space`).tap();
      continue;
    }
    if (ch !== ch.toLowerCase()) await page.getByTestId(`${entry}-shift`).tap();
    await page.getByTestId(`${entry}-key-${ch.toLowerCase()}`).tap();
  }
  await expect(page.getByTestId(`${entry}-field`)).toHaveValue(new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
}

export async function openAdmin(page: Page): Promise<void> {
  await cornerTaps(page);
  await expect(page.getByTestId('admin-pin')).toBeVisible();
  await tapPin(page, E2E_ADMIN_PIN);
  await expect(page.getByTestId('admin')).toBeVisible();
}

export async function leaveAdmin(page: Page): Promise<void> {
  await page.getByTestId('admin-leave').tap();
  await expect(page.getByTestId('attract')).toBeVisible();
}


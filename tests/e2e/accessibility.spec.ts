import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { cornerTaps, tapPin, typeByTouch } from './admin-touch';
import { E2E_ADMIN_PIN, expect, snap, test } from './kiosk-fixture';

const ORIENTATIONS = [
  { name: 'landscape', width: 1920, height: 1080 },
  { name: 'portrait', width: 1080, height: 1920 },
];
const LOCALES = ['zh-CN', 'en'] as const;

/** WCAG 2.2 AA rules; a serious or critical finding fails the test with the rule and the elements named. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${screen}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('axe on every screen', () => {
  // axe takes a while per screen; the kiosk must not reset itself while it works.
  test.use({ kioskSettings: { idleTimeoutSeconds: 3600 } });
for (const orientation of ORIENTATIONS) {
  for (const locale of LOCALES) {
    test(`every screen passes axe (${locale}, ${orientation.name})`, async ({ page, kiosk }) => {
      test.setTimeout(120_000);
      const tag = `${locale}-${orientation.name}`;
      await page.setViewportSize({ width: orientation.width, height: orientation.height });
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(kiosk.url);
      await expectAccessible(page, 'attract');
      await page.getByTestId('attract').tap();
      await expectAccessible(page, 'language');
      await page.getByTestId(`locale-${locale}`).tap();
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expectAccessible(page, 'home');
      await snap(page, `home-${tag}`);

      const visit = async (exhibit: string, activity: string, screen: string, prepare?: () => Promise<void>) => {
        const home = page.getByTestId('home');
        if (await home.isVisible()) await home.tap();
        await page.getByTestId(`exhibit-${exhibit}`).tap();
        await expectAccessible(page, `exhibit ${exhibit}`);
        await page.getByTestId(`activity-${activity}`).tap();
        await prepare?.();
        await expectAccessible(page, screen);
        await snap(page, `${screen}-${tag}`);
      };
      await visit('about', 'intro-video', 'video');
      await visit('emergencies', 'detention', 'scenario', () => page.getByTestId('scenario-start').tap());
      await visit('quiz', 'safety-quiz', 'quiz', () => page.getByTestId('quiz-start').tap());
      await visit('hotline', 'hotline-info', 'article');
      await page.getByTestId('large-text').tap();
      await expectAccessible(page, 'large text');
      await snap(page, `article-large-${tag}`);
    });
  }
}
});

for (const locale of LOCALES) {
  test(`the "Are you still there?" countdown passes axe (${locale})`, async ({ page, kiosk }) => {
    await page.goto(kiosk.url);
    await page.getByTestId('attract').tap();
    await page.getByTestId(`locale-${locale}`).tap();
    await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 10_000 });
    await expectAccessible(page, 'idle countdown');
  });
}

test('no pinch zoom, selection, context menu or dragging; touch targets at least 48 px', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract').tap();
  await page.getByTestId('locale-en').tap();
  await page.getByTestId('exhibit-emergencies').tap();
  const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
  expect(viewport).toContain('user-scalable=no');
  const style = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return { select: body.userSelect, touch: body.touchAction, overscroll: body.overscrollBehaviorX };
  });
  expect(style).toEqual({ select: 'none', touch: 'pan-y', overscroll: 'none' });
  const prevented = await page.evaluate(() => {
    const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(prevented).toBe(true);
  const small = await page.locator('button:visible').evaluateAll((buttons) =>
    buttons.map((b) => b.getBoundingClientRect()).filter((r) => r.width < 48 || r.height < 48).length,
  );
  expect(small).toBe(0);
});

const ADMIN_TABS = ['status', 'settings', 'packs', 'exports', 'pin'] as const;

/** Staff targets: 56 px at the least everywhere in the admin, 72 px for PIN keys (PinPad and steppers). */
async function expectStaffTargets(page: Page, screen: string): Promise<void> {
  const small = await page.locator('button:visible').evaluateAll((buttons) =>
    buttons
      .map((b) => ({ id: b.getAttribute('data-testid') ?? b.textContent?.trim() ?? '', r: b.getBoundingClientRect() }))
      .filter(({ id, r }) => {
        const min = /-key-\d$/.test(id) && !id.includes('-entry-') ? 72 : 56;
        return r.width < min || r.height < min;
      })
      .map(({ id, r }) => `${id} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
  expect(small, screen).toEqual([]);
}

test.describe('axe on the staff admin', () => {
  test.use({ kioskSettings: { idleTimeoutSeconds: 3600 } });
  for (const orientation of ORIENTATIONS) {
    for (const locale of LOCALES) {
      test(`the PIN pad and every admin tab pass axe (${locale}, ${orientation.name})`, async ({ page, kiosk }) => {
        test.setTimeout(120_000);
        const tag = `${locale}-${orientation.name}`;
        await page.setViewportSize({ width: orientation.width, height: orientation.height });
        await page.emulateMedia({ reducedMotion: 'reduce' });
        await page.goto(kiosk.url);
        await expect(page.getByTestId('attract')).toBeVisible();
        await cornerTaps(page);
        await expect(page.getByTestId('admin-pin')).toBeVisible();
        if (locale === 'en') await page.getByTestId('admin-switch-language').tap();
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await tapPin(page, '0000');
        await expect(page.getByTestId('pin-pad-message')).not.toBeEmpty();
        await expectAccessible(page, 'PIN pad');
        await expectStaffTargets(page, 'PIN pad');
        await snap(page, `admin-pin-pad-${tag}`);
        await tapPin(page, E2E_ADMIN_PIN);
        for (const tab of ADMIN_TABS) {
          await page.getByTestId(`admin-tab-${tab}`).tap();
          await expect(page.getByTestId(`admin-panel-${tab}`)).toBeVisible();
          // Each tab loads what it shows; wait for it so axe sees the finished screen.
          await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
          await page.waitForLoadState('networkidle');
          await expectAccessible(page, `admin ${tab}`);
          await expectStaffTargets(page, `admin ${tab}`);
          await snap(page, `admin-${tab}-${tag}`);
        }
        await page.getByTestId('admin-tab-packs').tap();
        await page.getByTestId('packs-type-path').tap();
        await typeByTouch(page, 'packs-path-entry', '/media/usb');
        await expectAccessible(page, 'path entry');
        await expectStaffTargets(page, 'path entry');
        await snap(page, `admin-path-entry-${tag}`);
      });
    }
  }
});

test.describe('axe on first-start setup', () => {
  test.use({ adminPin: null });
  for (const orientation of ORIENTATIONS) {
    test(`first-start setup passes axe (${orientation.name})`, async ({ page, kiosk }) => {
      await page.setViewportSize({ width: orientation.width, height: orientation.height });
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(kiosk.url);
      await expect(page.getByTestId('admin-setup')).toBeVisible();
      await expectAccessible(page, 'setup PIN');
      await expectStaffTargets(page, 'setup PIN');
      await snap(page, `admin-setup-pin-${orientation.name}`);
      await tapPin(page, '2468', 'setup-pin');
      await tapPin(page, '2468', 'setup-pin');
      await typeByTouch(page, 'setup-label', 'Hall A');
      await expectAccessible(page, 'setup label');
      await expectStaffTargets(page, 'setup label');
      await snap(page, `admin-setup-label-${orientation.name}`);
    });
  }
});

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, snap, test } from './kiosk-fixture';

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

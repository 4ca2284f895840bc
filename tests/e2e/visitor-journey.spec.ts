import { expect, snap, test } from './kiosk-fixture';

const VIEWPORTS = [
  { name: 'landscape', width: 1920, height: 1080 },
  { name: 'portrait', width: 1080, height: 1920 },
];

for (const viewport of VIEWPORTS) {
  test(`attract → language → home → exhibit → idle reset (${viewport.name})`, async ({ page, kiosk }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(kiosk.url);

    const attract = page.getByTestId('attract');
    await expect(attract).toContainText('领事保护');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await snap(page, `attract-${viewport.name}`);
    await attract.tap();

    await expect(page.getByTestId('locale-zh-CN')).toBeVisible();
    await snap(page, `language-${viewport.name}`);
    await page.getByTestId('locale-en').tap();

    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const tile = page.getByTestId('exhibit-emergencies');
    await expect(tile).toContainText('Emergencies');
    await snap(page, `home-en-${viewport.name}`);
    await tile.tap();

    await expect(page.getByTestId('activity-lost-passport')).toBeVisible();
    await snap(page, `exhibit-en-${viewport.name}`);

    // Walk away: the countdown appears, then the kiosk starts over in its default language.
    await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 10_000 });
    await snap(page, `idle-${viewport.name}`);
    await expect(attract).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

    await expect
      .poll(() => kiosk.query<{ end_reason: string | null }>('SELECT end_reason FROM visit'))
      .toEqual([{ end_reason: 'idle' }]);
    const visits = kiosk.query<Record<string, unknown>>('SELECT pack_id, pack_version, locale, end_reason, duration_ms FROM visit');
    expect(visits).toEqual([
      { pack_id: 'cn.gov.fao.consular-protection', pack_version: '1.0.0', locale: 'en', end_reason: 'idle', duration_ms: expect.any(Number) },
    ]);
    // Five seconds of stillness plus the three-second countdown, at the least.
    expect(visits[0]!.duration_ms as number).toBeGreaterThanOrEqual(8_000);
    const events = kiosk.query<Record<string, unknown>>('SELECT seq, type, exhibit_id, data FROM event ORDER BY seq');
    expect(events).toEqual([
      { seq: 1, type: 'visit.start', exhibit_id: null, data: '{"locale":"en"}' },
      { seq: 2, type: 'exhibit.open', exhibit_id: 'emergencies', data: '{}' },
      { seq: 3, type: 'visit.end', exhibit_id: null, data: '{"reason":"idle"}' },
    ]);
  });
}

test('a touch during the countdown keeps the visit going', async ({ page, kiosk }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(kiosk.url);
  await page.getByTestId('attract').tap();
  await page.getByTestId('locale-zh-CN').tap();
  await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 10_000 });
  await page.getByRole('button', { name: '继续浏览' }).tap();
  await expect(page.getByTestId('idle-overlay')).toBeHidden();
  await expect(page.getByTestId('exhibit-about')).toBeVisible();
  expect(kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: null }]);
});

test('a language button on the attract loop starts the visit in one tap', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-en').tap();
  await expect(page.getByTestId('exhibit-about')).toContainText('Consular');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect.poll(() => kiosk.query('SELECT locale FROM visit')).toEqual([{ locale: 'en' }]);
});

test('"I\'m done" ends the visit as completed and leaves the kiosk fresh', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-en').tap();
  await page.getByTestId('large-text').tap();
  await page.getByTestId('finish').tap();
  await expect(page.getByTestId('attract')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('html')).not.toHaveClass(/large-text/);
  await expect.poll(() => kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: 'completed' }]);
});

test('switching language mid-visit is logged and the page language follows', async ({ page, kiosk }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(kiosk.url);
  await page.getByTestId('attract').tap();
  await page.getByTestId('locale-zh-CN').tap();
  await expect(page.getByTestId('exhibit-about')).toContainText('领事保护');
  await snap(page, 'home-zh-landscape');
  await page.getByTestId('switch-language').tap();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('exhibit-about')).toContainText('Consular');
  await expect
    .poll(() => kiosk.query<{ type: string; data: string }>("SELECT type, data FROM event WHERE type = 'locale.change'"))
    .toEqual([{ type: 'locale.change', data: '{"from":"zh-CN","to":"en"}' }]);
});

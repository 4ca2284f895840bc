import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cornerTaps, leaveAdmin, openAdmin, tapPin, typeByTouch } from './admin-touch';
import { E2E_ADMIN_PIN, expect, snap, test } from './kiosk-fixture';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MINI_PACK = join(REPO, 'tests', 'fixtures', 'packs', 'mini');

/** A temporary folder standing in for a USB stick. */
function tempStick(): string {
  return mkdtempSync(join(tmpdir(), 'kiosk-usb-'));
}

test('five quick corner taps open the PIN pad; four, or slow ones, do not, and none of them starts a visit', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  await cornerTaps(page, 4);
  await page.waitForTimeout(3200);
  await cornerTaps(page, 5, 800); // five taps spread over 3.2 s
  await expect(page.getByTestId('attract')).toBeVisible();
  await expect(page.getByTestId('admin-pin')).toBeHidden();
  await cornerTaps(page, 5);
  await expect(page.getByTestId('admin-pin')).toBeVisible();
  // The taps landed on the attract loop's corner, yet no visit started and nothing was logged.
  expect(kiosk.query('SELECT visit_id FROM visit')).toEqual([]);
  await page.getByTestId('pin-pad-cancel').tap();
  await expect(page.getByTestId('attract')).toBeVisible();
  expect(kiosk.query('SELECT visit_id FROM visit')).toEqual([]);
});

test('the gesture works mid-visit; cancelling the PIN pad gives the visitor their screen back', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-en').tap();
  await page.getByTestId('exhibit-emergencies').tap();
  await cornerTaps(page);
  await expect(page.getByTestId('admin-pin')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByTestId('pin-pad-cancel').tap();
  await expect(page.getByTestId('activity-lost-passport')).toBeVisible();
  await expect.poll(() => kiosk.query<{ type: string }>('SELECT type FROM event ORDER BY seq').map((e) => e.type)).toEqual(['visit.start', 'exhibit.open']);
});

test('a wrong PIN says so; the third locks the pad with a countdown, refusing the right PIN until it ends', async ({ page, kiosk }) => {
  test.setTimeout(90_000);
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-en').tap(); // the PIN pad speaks the visitor's language
  await cornerTaps(page);
  const message = page.getByTestId('pin-pad-message');
  await tapPin(page, '1111');
  await expect(message).toHaveText('Wrong PIN. 2 attempts before a lockout.');
  await tapPin(page, '2222');
  await expect(message).toHaveText('Wrong PIN. 1 more wrong PIN locks the pad.');
  await tapPin(page, '3333');
  await expect(message).toHaveText(/^Too many wrong PINs\. Try again in 0:(30|29|28)\.$/);
  await snap(page, 'admin-pin-lockout');
  // Locked: the keys take no PIN at all, the right one included.
  await expect(page.getByTestId('pin-pad-key-2')).toBeDisabled();
  await expect(message).toHaveText(/Try again in 0:2[0-5]/, { timeout: 10_000 });
  // Once the countdown ends, the right PIN opens the admin.
  await expect(page.getByTestId('pin-pad-key-2')).toBeEnabled({ timeout: 35_000 });
  await tapPin(page, E2E_ADMIN_PIN);
  await expect(page.getByTestId('admin')).toBeVisible();
  await leaveAdmin(page);
});

test.describe('a fresh kiosk', () => {
  test.use({ adminPin: null });

  test('first start sets the PIN, label and location by touch, then the visitor UI starts', async ({ page, kiosk }) => {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('admin-setup')).toBeVisible();
    await expect(page.getByTestId('admin-corner')).toHaveCount(0); // no way around setup
    await page.getByTestId('admin-switch-language').tap();
    await tapPin(page, '1357', 'setup-pin');
    await tapPin(page, '1358', 'setup-pin');
    await expect(page.getByTestId('setup-pin-message')).toHaveText('The two PINs differ. Please choose the PIN again.');
    await tapPin(page, '1357', 'setup-pin');
    await tapPin(page, '1357', 'setup-pin');
    await typeByTouch(page, 'setup-label', 'Hall A-1');
    await page.getByTestId('setup-next').tap();
    await typeByTouch(page, 'setup-location', 'East wing');
    await page.getByTestId('setup-finish').tap();
    await expect(page.getByTestId('status-label')).toHaveText('Hall A-1');
    await expect(page.getByTestId('status-location')).toHaveText('East wing');
    await leaveAdmin(page);
    await page.getByTestId('attract-locale-en').tap();
    await expect(page.getByTestId('exhibit-about')).toBeVisible();
    await page.getByTestId('finish').tap();
    // The new PIN is the one that opens the admin now.
    await cornerTaps(page);
    await tapPin(page, '1357');
    await expect(page.getByTestId('admin')).toBeVisible();
  });
});

test('a pack from a USB stick installs after a readable check, goes live, and rolls back', async ({ page, kiosk }) => {
  test.setTimeout(90_000);
  const stick = tempStick();
  try {
    cpSync(MINI_PACK, join(stick, 'packs', 'mini'), { recursive: true });
    await page.goto(kiosk.url);
    await expect(page.getByTestId('attract')).toContainText('领事保护');
    await openAdmin(page);
    await page.getByTestId('admin-switch-language').tap();
    await page.getByTestId('admin-tab-packs').tap();
    await expect(page.getByTestId('installed-cn.gov.fao.consular-protection-1.0.0')).toContainText('Active');
    // Browser mode has no file dialog: the stick's folder is typed on the on-screen keyboard.
    await page.getByTestId('packs-type-path').tap();
    await typeByTouch(page, 'packs-path-entry', stick);
    await page.getByTestId('packs-path-ok').tap();
    await page.getByTestId('pack-source-mini').tap();
    await expect(page.getByTestId('pack-report-verdict')).toHaveText('The pack passed the check and can be installed.');
    await expect(page.getByTestId('pack-report-errors')).toHaveText('0 errors');
    await snap(page, 'admin-pack-report');
    await page.getByTestId('packs-install').tap();
    await expect(page.getByTestId('packs-installed')).toContainText('org.example.mini 1.0.0');
    await expect(page.getByTestId('installed-org.example.mini-1.0.0')).toContainText('Active');
    await leaveAdmin(page);
    await expect(page.getByTestId('attract')).toContainText('欢迎参观');

    await openAdmin(page);
    await page.getByTestId('admin-tab-packs').tap();
    await page.getByTestId('packs-rollback').tap();
    await expect(page.getByTestId('packs-message')).toContainText('cn.gov.fao.consular-protection');
    await leaveAdmin(page);
    await expect(page.getByTestId('attract')).toContainText('领事保护');
  } finally {
    rmSync(stick, { recursive: true, force: true });
  }
});

test('a pack with errors shows them where they are, and cannot be installed', async ({ page, kiosk }) => {
  const stick = tempStick();
  try {
    cpSync(MINI_PACK, join(stick, 'broken'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(stick, 'broken', 'pack.json'), 'utf8')) as { exhibits: { activities: string[] }[] };
    manifest.exhibits[0]!.activities.push('no-such-activity');
    writeFileSync(join(stick, 'broken', 'pack.json'), JSON.stringify(manifest, null, 2));
    await page.goto(kiosk.url);
    await openAdmin(page);
    await page.getByTestId('admin-tab-packs').tap();
    await page.getByTestId('packs-type-path').tap();
    await typeByTouch(page, 'packs-path-entry', join(stick, 'broken'));
    await page.getByTestId('packs-path-ok').tap();
    await expect(page.getByTestId('pack-report-verdict')).toHaveText('有错误，不能安装。请修正后重试。');
    // Each finding says where it is and what is wrong, in the staff's language.
    const finding = page.getByTestId('pack-finding-error').first();
    await expect(finding.locator('.where')).toHaveText('exhibits[0].activities[1]');
    await expect(finding.locator('.message')).toHaveText('引用了不存在的活动“no-such-activity”');
    await expect(page.getByTestId('pack-report-errors')).toHaveText('1 个错误');
    await expect(page.getByTestId('packs-install')).toBeDisabled();
  } finally {
    rmSync(stick, { recursive: true, force: true });
  }
});

test.describe('settings', () => {
  test.use({ kioskSettings: { idleTimeoutSeconds: 60, idleCountdownSeconds: 3 } });

  test('a lower idle timeout takes effect in the running kiosk without a restart', async ({ page, kiosk }) => {
    await page.goto(kiosk.url);
    await openAdmin(page);
    await page.getByTestId('admin-tab-settings').tap();
    await expect(page.getByTestId('settings-idle-value')).toHaveText('1 分钟');
    for (const expected of ['45 秒', '30 秒', '20 秒', '15 秒', '10 秒', '5 秒']) {
      await page.getByTestId('settings-idle-less').tap();
      await expect(page.getByTestId('settings-idle-value')).toHaveText(expected);
    }
    await expect(page.getByTestId('settings-idle-less')).toBeDisabled();
    await page.getByTestId('settings-locale-en').tap();
    await page.getByTestId('settings-save').tap();
    await expect(page.getByTestId('settings-message')).toHaveText('已保存，立即生效。');
    await leaveAdmin(page);
    // The new default language shows on the attract loop at once…
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByTestId('attract').tap();
    await page.getByTestId('locale-en').tap();
    // …and walking away now brings the countdown after 5 s instead of a minute.
    const started = Date.now();
    await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});

test('an export to a folder writes a CSV with a BOM and the visits, and shows what it wrote', async ({ page, kiosk }) => {
  const stick = tempStick();
  try {
    await page.goto(kiosk.url);
    await page.getByTestId('attract-locale-en').tap();
    await page.getByTestId('exhibit-emergencies').tap();
    await page.getByTestId('home').tap();
    await page.getByTestId('finish').tap();
    await expect.poll(() => kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: 'completed' }]);

    await openAdmin(page);
    await page.getByTestId('admin-switch-language').tap();
    await page.getByTestId('admin-tab-exports').tap();
    await page.getByTestId('exports-type-path').tap();
    await typeByTouch(page, 'exports-path-entry', stick);
    await page.getByTestId('exports-path-ok').tap();
    await expect(page.getByTestId('exports-out-dir')).toHaveText(stick);
    await page.getByTestId('exports-format-csv').tap();
    await page.getByTestId('exports-range-since-last').tap();
    await page.getByTestId('exports-run').tap();
    const files = page.getByTestId('exports-file');
    await expect(files.first()).toBeVisible();
    await snap(page, 'admin-export-done');
    const shown = await files.allTextContents();
    const written = kiosk.query<{ n: number }>('SELECT count(*) AS n FROM event')[0]!.n;
    expect(written).toBeGreaterThan(0);
    const csvPaths = (await files.locator('.path').allTextContents()).filter((p) => p.endsWith('.csv'));
    expect(csvPaths.length).toBeGreaterThan(0);
    for (const path of csvPaths) {
      expect(path.startsWith(stick)).toBe(true);
      expect(existsSync(path)).toBe(true);
      const bytes = readFileSync(path);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8').trim().split(/\r?\n/).length).toBeGreaterThan(1);
    }
    expect(shown.join('\n')).toMatch(/\d+ rows?/);

    // "New since last export": a second run right away has nothing new to write.
    await page.getByTestId('exports-run').tap();
    await expect(page.getByTestId('exports-result')).toContainText('Nothing new to export.');
    await leaveAdmin(page);
  } finally {
    rmSync(stick, { recursive: true, force: true });
  }
});

test('changing the PIN: the old one stops working, the new one opens the admin', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await openAdmin(page);
  await page.getByTestId('admin-tab-pin').tap();
  await tapPin(page, E2E_ADMIN_PIN, 'change-pin');
  await tapPin(page, '97531', 'change-pin');
  await tapPin(page, '97531', 'change-pin');
  await expect(page.getByTestId('change-pin-result')).toHaveText('密码已修改。');
  await leaveAdmin(page);
  await cornerTaps(page);
  await tapPin(page, E2E_ADMIN_PIN);
  await expect(page.getByTestId('pin-pad-message')).toContainText('密码错误');
  await tapPin(page, '97531');
  await expect(page.getByTestId('admin')).toBeVisible();
});

test('leaving the admin ends the visit that was under way and returns to a fresh attract loop', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-en').tap();
  await page.getByTestId('large-text').tap();
  await openAdmin(page);
  await leaveAdmin(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('html')).not.toHaveClass(/large-text/);
  await expect.poll(() => kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: 'home' }]);
  // The session is locked on leaving: the gesture asks for the PIN again.
  await cornerTaps(page);
  await expect(page.getByTestId('admin-pin')).toBeVisible();
});

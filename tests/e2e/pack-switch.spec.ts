import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './kiosk-fixture';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const kioskCli = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'bin', 'kiosk.js'), ...args], { encoding: 'utf8' });

test('a pack installed into a running kiosk goes live for the next visitor, and rollback brings the old one back', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await page.getByTestId('attract-locale-zh-CN').tap();
  await expect(page.getByTestId('exhibit-about')).toBeVisible();

  const install = kioskCli('pack', 'install', join(REPO, 'tests', 'fixtures', 'packs', 'mini'), '--data', kiosk.dataDir);
  expect(install.status, install.stdout + install.stderr).toBe(0);
  // The visitor in front of the kiosk keeps the content they started with…
  await expect(page.getByTestId('exhibit-about')).toBeVisible();
  await page.getByTestId('finish').tap();
  // …and the next one gets the new pack.
  await expect(page.getByTestId('attract')).toContainText('欢迎参观');
  await page.getByTestId('attract-locale-en').tap();
  await expect(page.getByTestId('exhibit-first')).toContainText('First exhibit');
  await page.getByTestId('finish').tap();

  expect(kioskCli('pack', 'rollback', '--data', kiosk.dataDir).status).toBe(0);
  await page.getByTestId('attract-locale-en').tap();
  await page.getByTestId('finish').tap();
  await expect(page.getByTestId('attract')).toContainText('领事保护');
  await expect
    .poll(() => kiosk.query<{ pack_id: string }>('SELECT pack_id FROM visit ORDER BY started_at').map((v) => v.pack_id))
    .toEqual(['cn.gov.fao.consular-protection', 'org.example.mini', 'cn.gov.fao.consular-protection']);
});

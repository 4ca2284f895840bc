import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveKiosk } from '../helpers/kiosk-serve';
import type { BenchRow } from './bench-row';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

/** `kiosk serve` as a user runs it, on a throwaway data folder past first-start setup (the PIN is set). */
async function serve(repo: string): Promise<{ url: string; stop: () => void }> {
  const data = mkdtempSync(join(tmpdir(), 'kiosk-bench-ui-'));
  writeFileSync(join(data, 'settings.json'), JSON.stringify({ idleTimeoutSeconds: 600 }));
  const pin = spawnSync(process.execPath, [join(repo, 'bin', 'kiosk.js'), 'admin', 'set-pin', '--pin-stdin', '--data', data], { input: '2468\n' });
  if (pin.status !== 0) throw new Error(`kiosk admin set-pin failed: ${String(pin.stderr)}`);
  const { child, url } = await serveKiosk(data);
  return { url, stop: () => (child.kill('SIGTERM'), rmSync(data, { recursive: true, force: true })) };
}

/** Time from a pointerdown to the frame after the DOM changed: rAF then a task lands just after paint. */
const TAP_PROBE = `
  window.__taps = [];
  document.addEventListener('pointerdown', (e) => {
    if (!window.__taps) return;
    const t0 = e.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__taps?.push(performance.now() - t0), 0));
  }, true);
`;

/** Collects the tap times and stops recording, so the probe itself does not grow the heap afterwards. */
async function tapTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __taps: number[] | null };
    const taps = w.__taps ?? [];
    w.__taps = null;
    return taps;
  });
}

async function oneVisit(page: Page): Promise<void> {
  await page.getByTestId('attract').click();
  await page.getByTestId('locale-en').click();
  await page.getByTestId('exhibit-emergencies').click();
  await page.getByTestId('activity-lost-passport').click();
  await page.getByTestId('scenario-start').click();
  await page.getByTestId('choice-calm-check').click();
  await page.getByTestId('back').click();
  await page.getByTestId('home').click();
  await page.getByTestId('finish').click();
  await page.getByTestId('attract').waitFor();
}

/**
 * The same visit driven from inside the page (element.click()), for the heap figure: Playwright's own
 * injected helpers live in the page's heap too and grow with every locator action.
 */
async function oneVisitInPage(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const find = async (id: string) => {
      for (let i = 0; i < 300; i += 1) {
        const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
        if (el) return el;
        await new Promise((r) => requestAnimationFrame(r));
      }
      throw new Error(`no ${id} on: ${document.body.innerText.slice(0, 300)}`);
    };
    for (const id of ['attract', 'locale-en', 'exhibit-emergencies', 'activity-lost-passport', 'scenario-start', 'choice-calm-check', 'back', 'home', 'finish']) {
      (await find(id)).click();
      // Let Svelte apply the screen change before looking for the next button.
      await new Promise((r) => requestAnimationFrame(r));
    }
    await find('attract');
  });
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize;
}

export async function benchRenderer(rows: BenchRow[], repo: string): Promise<void> {
  const host = await serve(repo);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    // Navigation → attract interactive, against the time the HTML itself took to arrive.
    const loads: number[] = [];
    const html: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.goto(host.url);
      await page.getByTestId('attract').waitFor();
      const [interactive, responseEnd] = await page.evaluate(() => [
        performance.getEntriesByName('attract-interactive')[0]?.startTime ?? NaN,
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
      ]);
      if (i > 0) loads.push(interactive!); // the first load warms the HTTP cache like a kiosk that has run before
      if (i > 0) html.push(responseEnd!);
      await page.close();
    }
    const median = (v: number[]) => percentile(v, 50);
    rows.push({
      measure: 'navigation → attract interactive',
      ours: `${median(loads).toFixed(0)} ms median`,
      baseline: `${median(html).toFixed(1)} ms HTML received`,
      ratio: `${(median(loads) / 500 * 100).toFixed(0)} % of budget`,
      target: '≤ 500 ms',
    });

    // Tap → next painted frame over real journeys, against a bare page that only toggles a word.
    // Reduced motion: the scripted visitor should not wait out entry animations 2,000 times.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    await page.addInitScript(TAP_PROBE);
    await page.goto(host.url);
    for (let i = 0; i < 10; i += 1) await oneVisit(page);
    const taps = await tapTimes(page);
    for (let i = 0; i < 10; i += 1) await oneVisitInPage(page);
    const heap10 = await heapUsed(page);
    const bare = await browser.newPage();
    // setContent replaces the document without a navigation, so the probe goes in by hand afterwards.
    await bare.setContent('<button id="b" style="width:200px;height:80px" onclick="this.textContent = this.textContent === \'on\' ? \'off\' : \'on\'">off</button>');
    await bare.evaluate(TAP_PROBE);
    for (let i = 0; i < taps.length; i += 1) await bare.click('#b');
    const bareTaps = await tapTimes(bare);
    rows.push({
      measure: `tap → next frame, p95 of ${taps.length} taps`,
      ours: `${percentile(taps, 95).toFixed(1)} ms`,
      baseline: `${percentile(bareTaps, 95).toFixed(1)} ms bare button`,
      ratio: `${(percentile(taps, 95) / percentile(bareTaps, 95)).toFixed(2)} ×`,
      target: '≤ 50 ms',
    });

    const trend: string[] = [];
    for (let i = 20; i < 200; i += 1) {
      await oneVisitInPage(page);
      if ((i + 1) % 50 === 0) trend.push(`${i + 1}: ${((await heapUsed(page)) / 1024 / 1024).toFixed(2)} MB`);
    }
    console.error(`heap trend: ${trend.join(', ')}`);
    const heap200 = await heapUsed(page);
    rows.push({
      measure: 'JS heap after 200 visits',
      ours: `${(heap200 / 1024 / 1024).toFixed(2)} MB`,
      baseline: `${(heap10 / 1024 / 1024).toFixed(2)} MB after 20`,
      ratio: `${(((heap200 - heap10) / heap10) * 100).toFixed(1)} %`,
      target: '≤ +10 %',
    });
  } finally {
    await browser.close();
    host.stop();
  }
}

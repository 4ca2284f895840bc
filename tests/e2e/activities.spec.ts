import type { Page } from '@playwright/test';
import { expect, snap, test, type RunningKiosk } from './kiosk-fixture';
import { answerOf, QUIZ } from './pack-data';

type Row = { type: string; exhibit_id: string | null; activity_id: string | null; item_id: string | null; data: string };
const events = (kiosk: RunningKiosk, where = "type NOT IN ('visit.start', 'visit.end')") =>
  kiosk.query<Row>(`SELECT type, exhibit_id, activity_id, item_id, data FROM event WHERE ${where} ORDER BY seq`);

async function enter(page: Page, kiosk: RunningKiosk, locale: 'zh-CN' | 'en', exhibit: string, activity: string): Promise<void> {
  await page.goto(kiosk.url);
  await page.getByTestId('attract').tap();
  await page.getByTestId(`locale-${locale}`).tap();
  await page.getByTestId(`exhibit-${exhibit}`).tap();
  await page.getByTestId(`activity-${activity}`).tap();
}

test('video: captions on in the visitor language, chapters, play/seek/pause logged with played segments', async ({ page, kiosk }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await enter(page, kiosk, 'zh-CN', 'about', 'intro-video');
  const video = page.getByTestId('video');
  await page.getByTestId('video-play').tap();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.5);
  const tracks = await video.evaluate((v: HTMLVideoElement) => Array.from(v.textTracks).map((t) => [t.language, t.mode]));
  expect(tracks).toEqual([['zh-CN', 'showing']]);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.textTracks[0]?.activeCues?.length ?? 0)).toBeGreaterThan(0);
  await snap(page, 'video-zh-landscape');
  // Chapter 3 jumps there and keeps playing.
  await page.locator('nav.chapters button').nth(2).tap();
  // Pause only once the seek has landed, so the log's order (seek, then pause) is the one asserted below.
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => (v.seeking ? 0 : v.currentTime))).toBeGreaterThan(30);
  await page.getByTestId('video-toggle').tap();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  await page.getByTestId('captions-toggle').tap();
  expect(await video.evaluate((v: HTMLVideoElement) => v.textTracks[0]?.mode)).toBe('hidden');
  await page.getByTestId('back').tap();
  await expect(page.getByTestId('activity-intro-video')).toBeVisible();

  await expect.poll(() => events(kiosk).map((e) => e.type)).toEqual([
    'exhibit.open',
    'activity.open',
    'video.play',
    'video.seek',
    'video.pause',
    'activity.close',
  ]);
  const rows = events(kiosk);
  expect(rows.slice(1).every((r) => r.exhibit_id === 'about' && r.activity_id === 'intro-video')).toBe(true);
  const seek = JSON.parse(rows[3]!.data) as { from: number; to: number };
  expect(seek.to).toBeGreaterThan(30);
  expect(JSON.parse(rows[5]!.data)).toMatchObject({ reason: 'back' });
});

test('video: a playing video holds off the idle reset, a paused one does not', async ({ page, kiosk }) => {
  await enter(page, kiosk, 'en', 'before-you-travel', 'prepare-video');
  await page.getByTestId('video-play').tap();
  // The idle timeout is 5 s (+3 s countdown); nine seconds of watching must not reset anything.
  await page.waitForTimeout(9_000);
  await expect(page.getByTestId('idle-overlay')).toBeHidden();
  expect(await page.getByTestId('video').evaluate((v: HTMLVideoElement) => v.paused)).toBe(false);
  await page.getByTestId('video-toggle').tap();
  await expect(page.getByTestId('attract')).toBeVisible({ timeout: 12_000 });
  await expect.poll(() => kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: 'idle' }]);
  const close = events(kiosk, "type = 'activity.close'");
  expect(JSON.parse(close[0]!.data)).toMatchObject({ reason: 'idle' });
});

test('scenario: choices give feedback, the ending shows its outcome and the path, all logged', async ({ page, kiosk }) => {
  await page.setViewportSize({ width: 1080, height: 1920 });
  await enter(page, kiosk, 'en', 'emergencies', 'lost-passport');
  await page.getByTestId('scenario-start').tap();
  const path = ['calm-check', 'police-report', 'contact-embassy', 'show-copies', 'rebook'];
  for (const [i, choice] of path.entries()) {
    await page.getByTestId(`choice-${choice}`).tap();
    await expect(page.getByTestId('scenario-feedback')).toBeVisible();
    if (i === 0) await snap(page, 'scenario-feedback-en-portrait');
    await page.getByTestId('scenario-continue').tap();
  }
  const ending = page.getByTestId('scenario-ending');
  await expect(ending).toContainText('Safe ending');
  await expect(ending.locator('.recap li')).toHaveCount(5);
  await snap(page, 'scenario-ending-en-portrait');

  await expect.poll(() => events(kiosk, "type LIKE 'scenario.%'").length).toBe(6);
  const rows = events(kiosk, "type LIKE 'scenario.%'");
  expect(rows.slice(0, 5).map((r) => [r.item_id, JSON.parse(r.data).choice])).toEqual([
    ['market', 'calm-check'],
    ['search', 'police-report'],
    ['police', 'contact-embassy'],
    ['embassy', 'show-copies'],
    ['waiting', 'rebook'],
  ]);
  expect(JSON.parse(rows[5]!.data)).toEqual({ ending: 'home-safe', outcome: 'safe', path: ['market', 'search', 'police', 'embassy', 'waiting'] });
});

test('quiz: a full round with feedback and explanations, result and exact log rows', async ({ page, kiosk }) => {
  await enter(page, kiosk, 'zh-CN', 'quiz', 'safety-quiz');
  await page.getByTestId('quiz-start').tap();
  const asked: string[] = [];
  for (let i = 0; i < QUIZ.questionsPerRound; i += 1) {
    const id = (await page.getByTestId('quiz-prompt').getAttribute('data-question'))!;
    asked.push(id);
    const { kind, answer } = answerOf(id);
    // Answer the first question wrongly, the rest rightly.
    const options = await page.locator('[data-testid^="option-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(7)));
    const chosen = i === 0 ? [options.find((o) => !answer.includes(o))!] : answer;
    for (const option of chosen) await page.getByTestId(`option-${option}`).tap();
    if (kind === 'multiple') await page.getByTestId('quiz-submit').tap();
    await expect(page.getByTestId('quiz-feedback')).toBeVisible();
    if (i === 0) await snap(page, 'quiz-feedback-zh-landscape');
    await page.getByTestId('quiz-next').tap();
  }
  const result = page.getByTestId('quiz-result');
  await expect(result).toContainText(`答对 ${QUIZ.questionsPerRound - 1} / ${QUIZ.questionsPerRound} 题`);
  await expect(result).toContainText('通过');
  await expect(result.locator('.missed li')).toHaveCount(1);
  await snap(page, 'quiz-result-zh-landscape');

  await expect.poll(() => events(kiosk, "type LIKE 'quiz.%'").length).toBe(QUIZ.questionsPerRound + 2);
  const rows = events(kiosk, "type LIKE 'quiz.%'");
  expect(JSON.parse(rows[0]!.data)).toEqual({ questions: asked });
  const answers = rows.slice(1, -1).map((r) => ({ item: r.item_id, ...JSON.parse(r.data) }));
  expect(answers.map((a) => a.item)).toEqual(asked);
  expect(answers.map((a) => a.correct)).toEqual(asked.map((_, i) => i !== 0));
  expect(answers.every((a) => Number.isInteger(a.ms) && a.ms >= 0)).toBe(true);
  expect(JSON.parse(rows.at(-1)!.data)).toEqual({ score: 9, total: 10, percent: 90, passed: true });
});

test('quiz: walking away mid-round resets the kiosk and closes the visit as idle', async ({ page, kiosk }) => {
  await enter(page, kiosk, 'en', 'quiz', 'safety-quiz');
  await page.getByTestId('quiz-start').tap();
  await expect(page.getByTestId('quiz-prompt')).toBeVisible();
  await expect(page.getByTestId('attract')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => kiosk.query('SELECT end_reason FROM visit')).toEqual([{ end_reason: 'idle' }]);
  expect(events(kiosk).map((e) => e.type)).toEqual(['exhibit.open', 'activity.open', 'quiz.start', 'activity.close']);
  // The next visitor finds it fresh: attract loop, default language, no large text.
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('attract').tap();
  await page.getByTestId('locale-en').tap();
  await expect(page.getByTestId('exhibit-quiz')).toBeVisible();
});

test('article: Markdown and an offline QR code, the QR shown logged', async ({ page, kiosk }) => {
  await enter(page, kiosk, 'zh-CN', 'hotline', 'hotline-info');
  await expect(page.locator('article')).toContainText('12308');
  const qr = page.locator('article svg[role="img"]');
  await expect(qr).toBeVisible();
  await snap(page, 'article-qr-zh-landscape');
  await expect.poll(() => events(kiosk, "type = 'article.qr.show'").map((r) => JSON.parse(r.data))).toEqual([{ url: 'https://cs.mfa.gov.cn/' }]);
});

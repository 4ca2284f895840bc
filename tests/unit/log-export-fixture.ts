import type { ClientEvent } from '../../electron/common/events';
import type { Locale } from '../../electron/common/locales';
import { tempKiosk } from '../helpers/temp-kiosk';

/** Text that needs quoting in CSV and care in XML: a comma, quotes and a CRLF. */
export const TRICKY = 'a, "quoted"\r\nnext line';

/**
 * The log the export tests share: two visits a day apart, one per locale (seq 1-5 and 6-8), with cells a
 * spreadsheet could misread.
 */
export async function kioskWithLog() {
  const kiosk = await tempKiosk();
  const visit = async (locale: Locale, events: ClientEvent[]) => {
    const { visitId } = await kiosk.service.startVisit({ locale });
    kiosk.clock.advance(5_000);
    await kiosk.service.logEvents({ visitId, events });
    kiosk.clock.advance(30_000);
    await kiosk.service.endVisit({ visitId, reason: 'completed' });
    return visitId;
  };
  const zh = await visit('zh-CN', [
    { type: 'exhibit.open', tMs: 5_000, exhibitId: '领事保护', data: {} },
    { type: 'activity.open', tMs: 5_100, activityId: '=1+1', data: { activityType: 'quiz' } },
    { type: 'quiz.answer', tMs: 9_000, itemId: '@SUM(A1:A9)', data: { chosen: ['b'], correct: false, ms: 3_900 } },
  ]);
  kiosk.clock.advance(24 * 3600 * 1000);
  const en = await visit('en', [{ type: 'exhibit.open', tMs: 5_000, exhibitId: 'first', itemId: TRICKY, data: {} }]);
  return { kiosk, zh, en };
}

export const EXPORT_NOW = Date.parse('2026-12-02T12:00:00Z');

/** "+08:00" for 480 minutes east of UTC. */
export function offsetText(offsetMin: number): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The calendar date and clock time where the kiosk stood, e.g. "2026-11-30 16:00:00 +08:00". */
export function localTime(utcIso: string, offsetMin: number): string {
  const shifted = new Date(Date.parse(utcIso) + offsetMin * 60_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} ${offsetText(offsetMin)}`;
}

/** True for the exact form `toISOString` gives, "2026-11-30T08:00:00.000Z", which every stored time has. */
const isIsoUtc = (text: string) => text.length === 24 && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(23) === 90; /* Z */

/**
 * `localTime` for a stream of rows in time order. Offsets are whole minutes, so the seconds never change
 * and rows within one minute (most of them, in a log) share the shifted date and minute: one Date per
 * minute instead of one per row.
 */
export function createLocalTimeFormatter(): (utcIso: string, offsetMin: number) => string {
  let lastKey = '';
  let lastOffset = Number.NaN;
  let lastPrefix = '';
  let lastSuffix = '';
  return (utcIso, offsetMin) => {
    if (!isIsoUtc(utcIso)) return localTime(utcIso, offsetMin);
    const key = utcIso.slice(0, 16);
    if (key !== lastKey || offsetMin !== lastOffset) {
      const shifted = new Date(Date.parse(`${key}:00.000Z`) + offsetMin * 60_000).toISOString();
      lastKey = key;
      lastOffset = offsetMin;
      lastPrefix = `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}:`;
      lastSuffix = ` ${offsetText(offsetMin)}`;
    }
    return lastPrefix + utcIso.slice(17, 19) + lastSuffix;
  };
}

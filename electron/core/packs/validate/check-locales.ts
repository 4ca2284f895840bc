import { UI_LOCALES } from '../../../common/locales';
import type { PackManifest } from '../../../common/pack-schema';
import type { IssueList, JsonPath } from './pack-issue';

const isLocaleKeyed = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((k) => (UI_LOCALES as readonly string[]).includes(k));

/**
 * Every localized text (and every per-locale file map) must have every language the pack lists, so a
 * visitor never meets a blank label after switching language.
 */
export function checkLocales(manifest: PackManifest, issues: IssueList): void {
  const locales = manifest.locales;
  if (!locales.includes(manifest.defaultLocale)) issues.error('locale-default-not-listed', ['defaultLocale'], { locale: manifest.defaultLocale });

  const visit = (value: unknown, path: JsonPath): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, i]));
    if (typeof value !== 'object' || value === null) return;
    const last = path.at(-1);
    // Video sources and captions are checked by the file rules, with messages about files.
    if (last === 'src' || last === 'captions' || last === 'files') return;
    if (isLocaleKeyed(value)) {
      for (const locale of locales) if (!(locale in value)) issues.error('locale-missing', path, { locale });
      for (const locale of Object.keys(value)) if (!locales.includes(locale as never)) issues.warning('locale-extra', path, { locale });
      return;
    }
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(manifest, []);

  manifest.activities.forEach((activity, i) => {
    if (activity.type !== 'video') return;
    for (const locale of locales) {
      if (typeof activity.src !== 'string' && !activity.src[locale]) issues.error('video-src-missing', ['activities', i, 'src'], { locale });
      if (!activity.captions[locale]) issues.error('captions-missing', ['activities', i, 'captions'], { locale });
    }
  });
}

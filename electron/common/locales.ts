/** The interface languages the kiosk itself speaks. Packs may carry only these. */
export const UI_LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof UI_LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}

/** A user-visible string in every locale of its pack. */
export type LocalizedText = Partial<Record<Locale, string>>;

/** Picks the text for `locale`, falling back to the pack's default so a visitor never sees an empty label. */
export function localize(text: LocalizedText | undefined, locale: Locale, fallback: Locale): string {
  if (!text) return '';
  return text[locale] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

import type { Locale } from '../../../electron/common/locales';

/** The kiosk's own words (the pack brings the rest). Chinese first: it is the visitors' language. */
const TEXT = {
  'zh-CN': {
    touchToStart: '轻触屏幕开始',
    chooseLanguage: '请选择语言',
    home: '首页',
    back: '返回',
    language: 'English',
    languageLabel: '切换到英文',
    exhibits: '展区',
    activities: '互动内容',
    stillThere: '您还在吗？',
    stillThereHint: '轻触屏幕继续浏览',
    resetIn: (s: number) => `${s} 秒后返回首页`,
    continue: '继续浏览',
    activityType: { video: '视频', scenario: '情景互动', quiz: '知识问答', article: '图文' },
    loading: '正在加载…',
    loadError: '内容暂时无法加载，请联系现场工作人员。',
  },
  en: {
    touchToStart: 'Touch the screen to start',
    chooseLanguage: 'Choose your language',
    home: 'Home',
    back: 'Back',
    language: '中文',
    languageLabel: 'Switch to Chinese',
    exhibits: 'Exhibits',
    activities: 'Activities',
    stillThere: 'Are you still there?',
    stillThereHint: 'Touch the screen to keep exploring',
    resetIn: (s: number) => `Starting over in ${s} s`,
    continue: 'Continue',
    activityType: { video: 'Video', scenario: 'What would you do?', quiz: 'Quiz', article: 'Read' },
    loading: 'Loading…',
    loadError: 'The content cannot be loaded right now. Please ask a member of staff.',
  },
} satisfies Record<Locale, unknown>;

export type UiText = (typeof TEXT)['en'];
export function uiText(locale: Locale): UiText {
  return TEXT[locale];
}

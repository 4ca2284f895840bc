/** The language CLI messages default to: Chinese when the terminal's locale is Chinese, else English. */
export function defaultCliLang(env: NodeJS.ProcessEnv = process.env): 'zh-CN' | 'en' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

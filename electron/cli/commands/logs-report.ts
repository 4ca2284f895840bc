import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildReport, ReportOutputError } from '../../core/log/report/build-report';
import { PdfError } from '../../core/log/report/print-pdf';
import { ReportSourceError } from '../../core/log/report/report-source';
import { MANIFEST_FILE } from '../../core/packs/read-manifest';
import { dataPaths, defaultDataDir } from '../../core/paths';
import { appFiles } from '../app-files';
import { findBrowser } from '../browser-kiosk';
import { terminalProgress } from '../progress';
import { UsageError } from '../usage-error';
import { cliLang } from './logs-common';
import { parseCliArgs } from '../parse-cli-args';

export const LOGS_REPORT_USAGE = `  report [DB] --out FILE.html [--pdf] [--pack DIR]
                         the officials' report (HTML that prints to A4, charts included) from a kiosk's
                         log (default: this kiosk's) or a merged fleet database; --pdf also prints
                         FILE.pdf with the system Chromium; --lang sets the report's language`;

const STEPS = ['open', 'visits', 'activities', 'videos', 'scenarios', 'quizzes', 'kiosks', 'data quality', 'html', 'pdf'];

const TEXT = {
  'zh-CN': {
    progress: '生成报告',
    steps: { open: '打开日志', visits: '访问', activities: '内容', videos: '视频', scenarios: '情景模拟', quizzes: '问答', kiosks: '展台', 'data quality': '数据质量', html: '写入 HTML', pdf: '打印 PDF' } as Record<string, string>,
    wrote: (file: string) => `已写入 ${file}`,
    summary: (visits: number, from: string, to: string) => `${visits.toLocaleString('zh-CN')} 次访问，${from} 至 ${to}`,
    empty: '日志中还没有访问记录，报告只有封面和数据质量部分。',
    missing: (file: string) => `找不到访问日志 ${file}`,
    notALog: (file: string) => `${file} 不是展台的访问日志，也不是合并后的汇总数据库`,
    unreadable: (file: string, why: string) => `无法读取 ${file}：${why}`,
    unwritable: (file: string, why: string) => `无法写入报告 ${file}：${why}`,
    noPack: (dir: string) => `${dir} 中没有内容包清单 ${MANIFEST_FILE}`,
    noBrowser: '找不到 Chromium，无法生成 PDF。请安装 chromium，或用 CHROME_PATH 指定浏览器路径。HTML 报告已写好，可在浏览器中打印。',
    pdfTimeout: 'Chromium 生成 PDF 超时。HTML 报告已写好，可在浏览器中打印。',
    pdfFailed: (why: string) => `Chromium 生成 PDF 失败：${why}。HTML 报告已写好，可在浏览器中打印。`,
    needOut: 'logs report 需要 --out FILE.html',
    extra: 'logs report 最多接受一个数据库路径',
  },
  en: {
    progress: 'Building the report',
    steps: {} as Record<string, string>,
    wrote: (file: string) => `Wrote ${file}`,
    summary: (visits: number, from: string, to: string) => `${visits.toLocaleString('en')} visit${visits === 1 ? '' : 's'}, ${from} to ${to}`,
    empty: 'The log holds no visits yet: the report has only its cover and the data-quality notes.',
    missing: (file: string) => `There is no visit log at ${file}`,
    notALog: (file: string) => `${file} is neither a kiosk's visit log nor a merged fleet database`,
    unreadable: (file: string, why: string) => `Cannot read ${file}: ${why}`,
    unwritable: (file: string, why: string) => `Cannot write the report to ${file}: ${why}`,
    noPack: (dir: string) => `There is no pack manifest ${MANIFEST_FILE} in ${dir}`,
    noBrowser: 'No Chromium found, so no PDF. Install chromium or point CHROME_PATH at a browser. The HTML report is written and can be printed from a browser.',
    pdfTimeout: 'Chromium took too long to print the PDF. The HTML report is written and can be printed from a browser.',
    pdfFailed: (why: string) => `Chromium could not print the PDF: ${why}. The HTML report is written and can be printed from a browser.`,
    needOut: 'logs report needs --out FILE.html',
    extra: 'logs report takes at most one database path',
  },
};

function parse(argv: string[]) {
  return parseCliArgs(argv, {
    out: { type: 'string' },
    pdf: { type: 'boolean', default: false },
    pack: { type: 'string' },
  });
}

/**
 * `kiosk logs report [DB] --out report.html [--pdf] [--lang zh-CN|en] [--pack DIR] [--json]`: reads the
 * log read-only, writes one self-contained HTML file (and a PDF), and says in the user's language what
 * went wrong when it cannot.
 */
export async function logsReportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const lang = cliLang(values.lang);
  const t = TEXT[lang];
  if (positionals.length > 1) throw new UsageError(t.extra);
  if (!values.out) throw new UsageError(t.needOut);
  const dbFile = positionals[0] ? resolve(positionals[0]) : dataPaths(values.data ?? defaultDataDir()).database;
  const outFile = resolve(values.out);
  const packDir = values.pack ? resolve(values.pack) : undefined;
  if (packDir && !existsSync(resolve(packDir, MANIFEST_FILE))) throw new Error(t.noPack(packDir));
  if (!existsSync(dbFile)) throw new Error(t.missing(dbFile));

  const progress = values.json ? { update: () => {}, done: () => {} } : terminalProgress(process.stderr, (done, total) => `${done}/${total}`);
  const steps = values.pdf ? STEPS : STEPS.slice(0, -1);
  try {
    const report = await buildReport({
      dbFile,
      outFile,
      lang,
      packDir,
      bundledPackDir: appFiles.bundledPackDir,
      pdf: values.pdf ? { browser: findBrowser() } : undefined,
      onStep: (step) => progress.update(`${t.progress}: ${t.steps[step] ?? step}`, Math.max(0, steps.indexOf(step)), steps.length),
    });
    progress.done();
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    const { totals, range } = report.metrics;
    console.log(t.wrote(report.html));
    if (report.pdf) console.log(t.wrote(report.pdf));
    console.log(range ? t.summary(totals.visits, range.from, range.to) : t.empty);
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof ReportSourceError) {
      if (error.code === 'missing') throw new Error(t.missing(error.file));
      if (error.code === 'not-a-log') throw new Error(t.notALog(error.file));
      throw new Error(t.unreadable(error.file, error.message));
    }
    if (error instanceof ReportOutputError) throw new Error(t.unwritable(error.file, error.message));
    if (error instanceof PdfError) {
      throw new Error(error.code === 'no-browser' ? t.noBrowser : error.code === 'timeout' ? t.pdfTimeout : t.pdfFailed(error.message));
    }
    throw error;
  }
}

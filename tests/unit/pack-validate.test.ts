import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackManifest, QuizActivity, ScenarioActivity } from '../../electron/common/pack-schema';
import { formatIssue, issueMessage } from '../../electron/core/packs/validate/messages';
import { validatePack } from '../../electron/core/packs/validate/validate-pack';
import { makePack, makeRawPack } from '../helpers/pack-builder';
import { MINI_PACK, REPO } from '../helpers/paths';

type M = PackManifest & Record<string, unknown>;
const scenario = (m: M) => m.activities.find((a) => a.id === 'walk') as ScenarioActivity;
const quiz = (m: M) => m.activities.find((a) => a.id === 'check') as QuizActivity;
const validate = (dir: string) => validatePack(dir, { appVersion: '0.5.0' });

interface Case {
  rule: string;
  pack: () => string;
  severity: 'error' | 'warning';
  code: string;
  where: string;
  /** A fragment of the English message, and one of the Chinese. */
  en: string;
  zh: string;
}

const FIXTURE = (name: string) => readFileSync(join(REPO, 'tests', 'fixtures', 'media', name));
/** The mini pack with one video activity whose files are given. */
const withVideo = (files: Record<string, string | Buffer>, edit: (m: M) => void = () => {}) =>
  makePack((m) => {
    m.activities.push({ id: 'vid', type: 'video', title: { 'zh-CN': '片', en: 'Film' }, src: 'media/v.webm', captions: { 'zh-CN': 'media/v.zh.vtt', en: 'media/v.en.vtt' }, poster: 'media/p.png' });
    m.exhibits[0]!.activities.push('vid');
    edit(m);
  }, { 'media/v.webm': FIXTURE('clip.webm'), 'media/v.zh.vtt': GOOD_VTT, 'media/v.en.vtt': GOOD_VTT, 'media/p.png': FIXTURE('still.png'), ...files });
const GOOD_VTT = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n';

const CASES: Case[] = [
  { rule: 'media container by magic bytes', pack: () => withVideo({ 'media/v.webm': FIXTURE('still.png') }), severity: 'error', code: 'media-wrong-type', where: 'media/v.webm', en: 'does not match the extension', zh: '与扩展名不符' },
  { rule: 'media container known', pack: () => withVideo({ 'media/v.webm': Buffer.from('just some text, not a video at all, padded out to sixty-four bytes......') }), severity: 'error', code: 'media-unknown-container', where: 'media/v.webm', en: 'Unrecognised format', zh: '无法识别' },
  { rule: 'media not empty', pack: () => withVideo({ 'media/v.webm': Buffer.alloc(0) }), severity: 'error', code: 'media-empty', where: 'media/v.webm', en: 'empty', zh: '为空' },
  { rule: 'captions parse as WebVTT', pack: () => withVideo({ 'media/v.en.vtt': 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n\n00:02 --> 00:03.000\nBroken\n' }), severity: 'error', code: 'vtt-timing', where: 'media/v.en.vtt', en: 'Bad cue timing', zh: '时间格式' },
  { rule: 'captions have a header', pack: () => withVideo({ 'media/v.zh.vtt': '00:00.000 --> 00:01.000\n你好\n' }), severity: 'error', code: 'vtt-header', where: 'media/v.zh.vtt', en: 'must start with WEBVTT', zh: 'WEBVTT' },
  { rule: 'images decode', pack: () => withVideo({ 'media/p.png': FIXTURE('still.png').subarray(0, 20) }), severity: 'error', code: 'image-truncated', where: 'media/p.png', en: 'truncated', zh: '不完整' },
  { rule: 'image sizes are sane', pack: () => withVideo({ 'media/p.png': Buffer.concat([FIXTURE('still.png'), Buffer.alloc(4 * 1024 * 1024 + 1)]) }), severity: 'warning', code: 'media-too-large', where: 'media/p.png', en: 'Large file', zh: '文件较大' },
  { rule: 'pack.json is JSON', pack: () => makeRawPack('{ "id": '), severity: 'error', code: 'json-unreadable', where: 'pack.json', en: 'not valid JSON', zh: '不是有效的 JSON' },
  { rule: 'required fields', pack: () => makePack((m) => delete (m as Record<string, unknown>).title), severity: 'error', code: 'schema-required', where: 'title', en: 'required', zh: '必填' },
  { rule: 'types', pack: () => makePack((m) => ((m as Record<string, unknown>).locales = 'zh-CN')), severity: 'error', code: 'schema-type', where: 'locales', en: 'expected array', zh: '类型错误' },
  { rule: 'unknown fields warn', pack: () => makePack((m) => ((m.exhibits[0] as Record<string, unknown>).subtitle = 'x')), severity: 'warning', code: 'schema-unknown-field', where: 'exhibits[0]', en: '"subtitle"', zh: '未知字段' },
  { rule: 'unsupported language', pack: () => makePack((m) => ((m.title as Record<string, string>).fr = 'Mini')), severity: 'error', code: 'schema-unknown-locale', where: 'title.fr', en: 'Unsupported language "fr"', zh: '不支持的语言' },
  { rule: 'empty text', pack: () => makePack((m) => (m.title.en = '')), severity: 'error', code: 'schema-empty-text', where: 'title.en', en: 'must not be empty', zh: '不能为空' },
  { rule: 'id syntax', pack: () => makePack((m) => (m.exhibits[0]!.id = 'First Exhibit')), severity: 'error', code: 'format-id', where: 'exhibits[0].id', en: 'a-z, 0-9 and -', zh: '小写字母' },
  { rule: 'pack id syntax', pack: () => makePack((m) => (m.id = 'My Pack')), severity: 'error', code: 'format-pack-id', where: 'id', en: 'reverse-DNS', zh: '反向域名' },
  { rule: 'version syntax', pack: () => makePack((m) => (m.version = 'v1')), severity: 'error', code: 'format-semver', where: 'version', en: 'semantic version', zh: '语义化版本' },
  { rule: 'colour syntax', pack: () => makePack((m) => (m.theme = { primary: 'red' })), severity: 'error', code: 'format-color', where: 'theme.primary', en: '#RRGGBB', zh: '#RRGGBB' },
  { rule: 'paths stay in the pack', pack: () => makePack((m) => (m.exhibits[0]!.image = '../secret.png')), severity: 'error', code: 'format-path', where: 'exhibits[0].image', en: 'relative to the pack', zh: '相对路径' },
  { rule: 'activity type', pack: () => makePack((m) => ((m.activities[0] as Record<string, unknown>).type = 'game')), severity: 'error', code: 'schema-unknown-type', where: 'activities[0].type', en: 'Unknown activity type', zh: '未知的活动类型' },
  { rule: 'QR url', pack: () => makePack((m) => ((m.activities[0] as Record<string, unknown>).qr = { url: 'not a url' })), severity: 'error', code: 'format-url', where: 'activities[0].qr.url', en: 'URL', zh: '网址' },
  { rule: 'app version', pack: () => makePack((m) => (m.minAppVersion = '9.0.0')), severity: 'error', code: 'app-too-old', where: 'minAppVersion', en: 'needs kiosk app 9.0.0', zh: '9.0.0' },
  { rule: 'default locale listed', pack: () => makePack((m) => (m.locales = ['en'])), severity: 'error', code: 'locale-default-not-listed', where: 'defaultLocale', en: 'not in "locales"', zh: '默认语言' },
  { rule: 'every locale present', pack: () => makePack((m) => delete m.exhibits[1]!.summary.en), severity: 'error', code: 'locale-missing', where: 'exhibits[1].summary', en: 'The en text is missing', zh: '缺少 en 文本' },
  { rule: 'extra locale', pack: () => makePack((m) => void (m.locales = ['zh-CN'])), severity: 'warning', code: 'locale-extra', where: 'title', en: 'Has en text', zh: '有 en 文本' },
  { rule: 'duplicate exhibit ids', pack: () => makePack((m) => (m.exhibits[1]!.id = 'first')), severity: 'error', code: 'id-duplicate', where: 'exhibits[1].id', en: 'first used at exhibits[0].id', zh: '重复' },
  { rule: 'duplicate activity ids', pack: () => makePack((m) => (m.activities[1]!.id = 'hello')), severity: 'error', code: 'id-duplicate', where: 'activities[1].id', en: 'Duplicate id "hello"', zh: '“hello”重复' },
  { rule: 'exhibit references', pack: () => makePack((m) => m.exhibits[0]!.activities.push('nowhere')), severity: 'error', code: 'exhibit-activity-missing', where: 'exhibits[0].activities[1]', en: '"nowhere", which does not exist', zh: '不存在的活动' },
  { rule: 'unused activity', pack: () => makePack((m) => (m.exhibits[1]!.activities = ['world', 'check'])), severity: 'warning', code: 'activity-unused', where: 'activities[2].id', en: 'visitors never see it', zh: '观众看不到' },
  { rule: 'captions for every locale', pack: () => makePack((m) => m.activities.push({ id: 'vid', type: 'video', title: { 'zh-CN': '片', en: 'Film' }, src: 'media/v.webm', captions: { 'zh-CN': 'media/v.vtt' } }) && m.exhibits[0]!.activities.push('vid')), severity: 'error', code: 'captions-missing', where: 'activities[4].captions', en: 'No en captions', zh: '缺少 en 字幕' },
  { rule: 'referenced files exist', pack: () => makePack((m) => (m.exhibits[0]!.image = 'media/missing.png')), severity: 'error', code: 'file-missing', where: 'exhibits[0].image', en: '"media/missing.png" does not exist', zh: '不存在' },
  { rule: 'allowed extensions', pack: () => makePack((m) => (m.exhibits[0]!.image = 'media/page.html'), { 'media/page.html': '<script>alert(1)</script>' }), severity: 'error', code: 'file-bad-extension', where: 'exhibits[0].image', en: 'not an allowed type', zh: '类型不允许' },
  { rule: 'the right kind of file', pack: () => makePack((m) => (m.exhibits[0]!.image = 'media/notes.md'), { 'media/notes.md': '# notes' }), severity: 'error', code: 'file-wrong-kind', where: 'exhibits[0].image', en: 'needs an image file', zh: '需要' },
  { rule: 'nothing executable', pack: () => makePack(() => {}, { 'media/run.js': 'process.exit()' }), severity: 'error', code: 'file-forbidden', where: 'media/run.js', en: 'not allowed in a pack', zh: '不允许' },
  { rule: 'unused files', pack: () => makePack(() => {}, { 'media/extra.md': '# spare' }), severity: 'warning', code: 'file-unused', where: 'media/extra.md', en: 'is not used', zh: '没有被使用' },
  { rule: 'case collisions', pack: () => makePack(() => {}, { 'media/A.md': 'a', 'media/a.md': 'b' }), severity: 'error', code: 'file-case-collision', where: 'media/a.md', en: 'differ only in case', zh: '大小写' },
  { rule: 'files list complete', pack: () => makePack((m) => (m.files = {}), { 'media/extra.md': '# spare' }), severity: 'error', code: 'file-not-listed', where: 'media/extra.md', en: 'not in the "files" list', zh: 'files 清单' },
  { rule: 'listed files exist', pack: () => makePack((m) => (m.files = { 'media/gone.png': { sha256: 'a'.repeat(64), size: 3 } })), severity: 'error', code: 'file-listed-missing', where: 'files.media/gone.png', en: 'but missing', zh: '不存在' },
  { rule: 'hashes match', pack: () => makePack((m) => (m.files = { 'media/extra.md': { sha256: 'b'.repeat(64), size: 7 } }), { 'media/extra.md': '# spare' }), severity: 'error', code: 'file-hash-mismatch', where: 'files.media/extra.md', en: 'changed or damaged', zh: '被改动或损坏' },
  { rule: 'scenario start exists', pack: () => makePack((m) => (scenario(m).start = 'nowhere')), severity: 'error', code: 'scenario-start-missing', where: 'activities[2].start', en: 'start node "nowhere" does not exist', zh: '起始节点' },
  { rule: 'scenario start is a node', pack: () => makePack((m) => (scenario(m).start = 'home')), severity: 'error', code: 'scenario-start-is-ending', where: 'activities[2].start', en: 'is an ending', zh: '是一个结局' },
  { rule: 'every next exists', pack: () => makePack((m) => (scenario(m).nodes[0]!.choices[1]!.next = 'cliff')), severity: 'error', code: 'scenario-next-missing', where: 'activities[2].nodes[0].choices[1].next', en: '"cliff", which is neither', zh: '不存在的节点' },
  { rule: 'node and ending ids apart', pack: () => makePack((m) => scenario(m).endings.push({ id: 'park', title: { 'zh-CN': '公园', en: 'Park' }, text: { 'zh-CN': '到了。', en: 'Arrived.' }, outcome: 'safe' })), severity: 'error', code: 'scenario-id-clash', where: 'activities[2].endings[2].id', en: 'both a node id and an ending id', zh: '同时是节点和结局' },
  { rule: 'every node reachable', pack: () => makePack((m) => scenario(m).nodes.push({ id: 'island', text: { 'zh-CN': '岛', en: 'Island' }, choices: [{ id: 'swim', label: { 'zh-CN': '游', en: 'Swim' }, next: 'home', feedback: { 'zh-CN': '好。', en: 'OK.' }, safe: true }] })), severity: 'error', code: 'scenario-node-unreachable', where: 'activities[2].nodes[2].id', en: 'cannot be reached', zh: '无法从起点到达' },
  { rule: 'every path ends (no trap)', pack: () =>
      makePack((m) => {
        scenario(m).nodes[1]!.choices[0]!.next = 'street';
        scenario(m).nodes[0]!.choices[1]!.next = 'park';
      }), severity: 'error', code: 'scenario-no-way-out', where: 'activities[2].nodes[0].id', en: 'no path reaches an ending', zh: '无法到达任何结局' },
  { rule: 'unreachable ending', pack: () => makePack((m) => (scenario(m).nodes[0]!.choices[1]!.next = 'park')), severity: 'warning', code: 'scenario-ending-unreachable', where: 'activities[2].endings[1].id', en: 'Ending "hurt" cannot be reached', zh: '结局“hurt”' },
  { rule: 'safe and unsafe outcomes', pack: () => makePack((m) => (scenario(m).endings[1]!.outcome = 'safe')), severity: 'warning', code: 'scenario-no-outcomes', where: 'activities[2].endings', en: 'one safe and one unsafe', zh: '安全结局' },
  { rule: 'answers name options', pack: () => makePack((m) => (quiz(m).questions[0]!.answer = ['z'])), severity: 'error', code: 'quiz-answer-unknown', where: 'activities[3].questions[0].answer[0]', en: 'Answer "z" is not one of', zh: '不是本题的选项' },
  { rule: 'single has one answer', pack: () => makePack((m) => (quiz(m).questions[0]!.answer = ['a', 'b'])), severity: 'error', code: 'quiz-single-answer-count', where: 'activities[3].questions[0].answer', en: 'exactly one answer (has 2)', zh: '恰好有一个答案' },
  { rule: 'true/false has two options', pack: () => makePack((m) => quiz(m).questions[1]!.options.push({ id: 'maybe', text: { 'zh-CN': '也许', en: 'Maybe' } })), severity: 'error', code: 'quiz-truefalse-options', where: 'activities[3].questions[1].options', en: 'exactly two options', zh: '两个选项' },
  { rule: 'multiple with one answer', pack: () => makePack((m) => (quiz(m).questions[2]!.answer = ['a'])), severity: 'warning', code: 'quiz-multiple-one-answer', where: 'activities[3].questions[2].answer', en: 'consider making it single', zh: '单选题' },
  { rule: 'round fits the pool', pack: () => makePack((m) => (quiz(m).questionsPerRound = 9)), severity: 'error', code: 'quiz-round-too-large', where: 'activities[3].questionsPerRound', en: '(9) is more than the 3 questions', zh: '超过题库' },
  { rule: 'score bands in order', pack: () => makePack((m) => (quiz(m).results[0] = { ...quiz(m).results[0]!, from: 60, to: 10 })), severity: 'error', code: 'quiz-results-range', where: 'activities[3].results[0]', en: 'starts after it ends', zh: '起点大于终点' },
  { rule: 'score bands without gaps', pack: () => makePack((m) => (quiz(m).results[1]!.from = 70)), severity: 'error', code: 'quiz-results-gap', where: 'activities[3].results', en: 'leave 50–69 uncovered', zh: '没有覆盖 50–69' },
  { rule: 'score bands reach 100', pack: () => makePack((m) => (quiz(m).results[1]!.to = 90)), severity: 'error', code: 'quiz-results-gap', where: 'activities[3].results', en: 'leave 91–100 uncovered', zh: '91–100' },
  { rule: 'score bands without overlap', pack: () => makePack((m) => (quiz(m).results[1]!.from = 40)), severity: 'error', code: 'quiz-results-overlap', where: 'activities[3].results[1]', en: 'overlap at 40–49', zh: '重叠' },
  { rule: 'chapters in order', pack: () => makePack((m) => m.activities.push({ id: 'vid', type: 'video', title: { 'zh-CN': '片', en: 'Film' }, src: 'media/v.webm', captions: { 'zh-CN': 'media/v.vtt', en: 'media/v.vtt' }, chapters: [{ at: 5, title: { 'zh-CN': '一', en: 'One' } }, { at: 2, title: { 'zh-CN': '二', en: 'Two' } }] }) && m.exhibits[0]!.activities.push('vid')), severity: 'error', code: 'chapter-order', where: 'activities[4].chapters[1].at', en: 'must increase', zh: '从小到大' },
];

describe('pack validate', () => {
  it('passes the mini fixture pack with no findings', async () => {
    const report = await validate(MINI_PACK);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each(CASES)('$rule → $code at $where', async (c) => {
    const report = await validate(c.pack());
    const list = c.severity === 'error' ? report.errors : report.warnings;
    const found = list.find((i) => i.code === c.code && i.where === c.where);
    expect(found, `${c.code} at ${c.where} in ${JSON.stringify([...report.errors, ...report.warnings].map((i) => `${i.code}@${i.where}`))}`).toBeDefined();
    expect(issueMessage(found!, 'en')).toContain(c.en);
    expect(issueMessage(found!, 'zh-CN')).toContain(c.zh);
    expect(report.ok).toBe(c.severity === 'warning' ? report.errors.length === 0 : false);
  });

  it('lists every error at once, not only the first', async () => {
    const dir = makePack((m) => {
      m.title.en = '';
      m.exhibits[0]!.activities.push('nowhere');
      quiz(m).questionsPerRound = 9;
    });
    const codes = (await validate(dir)).errors.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['schema-empty-text']));
    // Schema errors stop the deeper checks (they need a well-formed manifest); fix those first.
    const deeper = makePack((m) => {
      m.exhibits[0]!.activities.push('nowhere');
      quiz(m).questionsPerRound = 9;
      scenario(m).start = 'nowhere';
    });
    expect((await validate(deeper)).errors.map((i) => i.code).sort()).toEqual(['exhibit-activity-missing', 'quiz-round-too-large', 'scenario-start-missing']);
  });

  it('reports a symbolic link as an error', async () => {
    const dir = makePack();
    symlinkSync('/etc/hostname', join(dir, 'media-link.png'));
    const report = await validate(dir);
    expect(report.errors.map((i) => `${i.code}@${i.where}`)).toContain('file-link@media-link.png');
  });

  it('formats a finding as path: message, with the caption line when there is one', () => {
    expect(formatIssue({ severity: 'error', code: 'vtt-timing', where: 'media/a.vtt', line: 7, params: {} }, 'en')).toBe(
      'media/a.vtt:7: Bad cue timing (expected 00:01.000 --> 00:04.000)',
    );
    expect(formatIssue({ severity: 'error', code: 'locale-missing', where: 'title', params: { locale: 'en' } }, 'zh-CN')).toBe('title: 缺少 en 文本');
  });
});


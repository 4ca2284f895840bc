import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PackManifest } from '../../common/pack-schema';
import { packJsonSchemaText } from './pack-json-schema';

const zhEn = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A small pack that validates as it is and shows each kind of activity an author can edit from there. */
export function starterManifest(id: string, title: string): PackManifest {
  return {
    $schema: './pack.schema.json',
    schemaVersion: 1,
    id,
    version: '0.1.0',
    title: zhEn(title, title),
    locales: ['zh-CN', 'en'],
    defaultLocale: 'zh-CN',
    minAppVersion: '0.1.0',
    theme: { primary: '#1f5f8b' },
    attract: { headline: zhEn('欢迎参观', 'Welcome'), cta: zhEn('轻触屏幕开始', 'Touch the screen to start') },
    exhibits: [
      {
        id: 'welcome',
        title: zhEn('欢迎', 'Welcome'),
        summary: zhEn('这个展区介绍本次展览。', 'This exhibit introduces the exhibition.'),
        activities: ['about', 'first-scenario'],
      },
      { id: 'quiz', title: zhEn('知识问答', 'Quiz'), summary: zhEn('试试你知道多少。', 'See how much you know.'), activities: ['first-quiz'] },
    ],
    activities: [
      {
        id: 'about',
        type: 'article',
        title: zhEn('关于本展览', 'About this exhibition'),
        body: zhEn('# 关于本展览\n\n在这里写下介绍文字。支持 **Markdown**。', '# About this exhibition\n\nWrite the introduction here. **Markdown** works.'),
      },
      {
        id: 'first-scenario',
        type: 'scenario',
        title: zhEn('你会怎么做？', 'What would you do?'),
        intro: zhEn('一个简单的情景：请替换成你的内容。', 'A simple scenario: replace it with yours.'),
        start: 'start',
        nodes: [
          {
            id: 'start',
            text: zhEn('你遇到了一个问题。', 'You run into a problem.'),
            choices: [
              { id: 'ask-help', label: zhEn('寻求正规帮助', 'Ask for proper help'), next: 'good-end', feedback: zhEn('正确的做法。', 'The right thing to do.'), safe: true },
              { id: 'ignore', label: zhEn('置之不理', 'Ignore it'), next: 'bad-end', feedback: zhEn('问题可能会变得更糟。', 'The problem may get worse.'), safe: false },
            ],
          },
        ],
        endings: [
          { id: 'good-end', title: zhEn('安全', 'Safe'), text: zhEn('问题解决了。', 'The problem is solved.'), outcome: 'safe' },
          { id: 'bad-end', title: zhEn('有风险', 'At risk'), text: zhEn('下次请寻求帮助。', 'Next time, ask for help.'), outcome: 'unsafe' },
        ],
      },
      {
        id: 'first-quiz',
        type: 'quiz',
        title: zhEn('知识问答', 'Quiz'),
        questionsPerRound: 2,
        passPercent: 50,
        shuffle: true,
        questions: [
          {
            id: 'q1',
            kind: 'single',
            prompt: zhEn('示例问题：哪个是正确答案？', 'Sample question: which answer is right?'),
            options: [
              { id: 'a', text: zhEn('这个', 'This one') },
              { id: 'b', text: zhEn('那个', 'That one') },
            ],
            answer: ['a'],
            explanation: zhEn('在这里解释为什么。', 'Explain why here.'),
          },
          {
            id: 'q2',
            kind: 'truefalse',
            prompt: zhEn('示例判断题：这句话是对的。', 'Sample true/false: this statement is true.'),
            options: [
              { id: 'true', text: zhEn('正确', 'True') },
              { id: 'false', text: zhEn('错误', 'False') },
            ],
            answer: ['true'],
            explanation: zhEn('在这里解释为什么。', 'Explain why here.'),
          },
        ],
        results: [
          { from: 0, to: 49, text: zhEn('再学习一下吧！', 'Have another look!') },
          { from: 50, to: 100, text: zhEn('答得好！', 'Well done!') },
        ],
      },
    ],
  };
}

/** `pack new DIR`: refuses a non-empty folder rather than overwrite someone's work. */
export function scaffoldPack(dir: string, options: { id?: string; title?: string } = {}): string {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; choose a new folder for the pack.`);
  mkdirSync(join(dir, 'media'), { recursive: true });
  const slug = basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'my-pack';
  const manifest = starterManifest(options.id ?? `org.example.${slug}`, options.title ?? basename(dir));
  writeFileSync(join(dir, 'pack.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Next to pack.json so any editor offers completion and checks without configuration.
  writeFileSync(join(dir, 'pack.schema.json'), packJsonSchemaText());
  return join(dir, 'pack.json');
}

import type { PackIssue } from './pack-issue';

export type MessageLang = 'zh-CN' | 'en';
type Params = Record<string, string | number>;
type Template = (p: Params) => string;

/**
 * Every message `pack validate` can say, in the two languages staff and authors use. Each says what is
 * wrong and, where it is not obvious, what to do about it.
 */
const MESSAGES = {
  'json-unreadable': { 'zh-CN': (p) => `pack.json 无法读取或不是有效的 JSON：${p.detail}`, en: (p) => `pack.json cannot be read or is not valid JSON: ${p.detail}` },
  'schema-required': { 'zh-CN': () => '缺少必填项', en: () => 'This field is required but missing' },
  'schema-type': { 'zh-CN': (p) => `类型错误：应为 ${p.expected}`, en: (p) => `Wrong type: expected ${p.expected}` },
  'schema-value': { 'zh-CN': (p) => `取值无效，可选值：${p.allowed}`, en: (p) => `Invalid value; allowed: ${p.allowed}` },
  'schema-too-small': { 'zh-CN': (p) => `数量或数值太小（至少 ${p.minimum}）`, en: (p) => `Too small (at least ${p.minimum})` },
  'schema-too-big': { 'zh-CN': (p) => `数量或数值太大（至多 ${p.maximum}）`, en: (p) => `Too big (at most ${p.maximum})` },
  'schema-empty-text': { 'zh-CN': () => '文本不能为空', en: () => 'The text must not be empty' },
  'schema-unknown-field': { 'zh-CN': (p) => `未知字段“${p.field}”，将被忽略（是否拼写有误？）`, en: (p) => `Unknown field "${p.field}" will be ignored (a typo?)` },
  'schema-unknown-locale': { 'zh-CN': (p) => `不支持的语言“${p.field}”：只能使用 zh-CN 和 en`, en: (p) => `Unsupported language "${p.field}": use zh-CN and en` },
  'schema-unknown-type': { 'zh-CN': (p) => `未知的活动类型，可选：${p.allowed}`, en: (p) => `Unknown activity type; allowed: ${p.allowed}` },
  'format-id': { 'zh-CN': () => '编号只能包含小写字母 a-z、数字 0-9 和连字符 -', en: () => 'Ids may only contain a-z, 0-9 and -' },
  'format-pack-id': { 'zh-CN': () => '内容包编号应为反向域名形式，如 org.example.my-pack', en: () => 'The pack id must be reverse-DNS, such as org.example.my-pack' },
  'format-semver': { 'zh-CN': () => '版本号应为语义化版本，如 1.2.0', en: () => 'Use a semantic version such as 1.2.0' },
  'format-color': { 'zh-CN': () => '颜色应写成 #RRGGBB，如 #b3261e', en: () => 'Write the colour as #RRGGBB, such as #b3261e' },
  'format-path': { 'zh-CN': () => '文件路径必须是内容包内的相对路径，用 / 分隔', en: () => 'File paths must be relative to the pack, with / separators' },
  'format-sha256': { 'zh-CN': () => '校验值应为 64 位十六进制 sha256（请用 pack build 生成）', en: () => 'Expected a 64-hex-digit sha256 (let `pack build` write it)' },
  'format-url': { 'zh-CN': () => '网址无效', en: () => 'Not a valid URL' },
  'schema-invalid': { 'zh-CN': (p) => `无效：${p.detail}`, en: (p) => `Invalid: ${p.detail}` },
  'app-too-old': { 'zh-CN': (p) => `此内容包需要展示软件 ${p.required} 或更高版本（当前 ${p.current}），请先升级软件`, en: (p) => `This pack needs kiosk app ${p.required} or newer (this is ${p.current}); update the app first` },
  'locale-default-not-listed': { 'zh-CN': (p) => `默认语言 ${p.locale} 不在 locales 列表中`, en: (p) => `The default language ${p.locale} is not in "locales"` },
  'locale-missing': { 'zh-CN': (p) => `缺少 ${p.locale} 文本`, en: (p) => `The ${p.locale} text is missing` },
  'locale-extra': { 'zh-CN': (p) => `有 ${p.locale} 文本，但内容包的 locales 没有列出该语言`, en: (p) => `Has ${p.locale} text, but the pack's "locales" does not list it` },
  'id-duplicate': { 'zh-CN': (p) => `编号“${p.id}”重复（第一次出现在 ${p.first}）`, en: (p) => `Duplicate id "${p.id}" (first used at ${p.first})` },
  'exhibit-activity-missing': { 'zh-CN': (p) => `引用了不存在的活动“${p.id}”`, en: (p) => `Refers to activity "${p.id}", which does not exist` },
  'activity-unused': { 'zh-CN': (p) => `活动“${p.id}”没有被任何展区使用，观众看不到它`, en: (p) => `Activity "${p.id}" is in no exhibit, so visitors never see it` },
  'video-src-missing': { 'zh-CN': (p) => `缺少 ${p.locale} 视频文件`, en: (p) => `No video file for ${p.locale}` },
  'captions-missing': { 'zh-CN': (p) => `缺少 ${p.locale} 字幕（每种语言都必须有字幕）`, en: (p) => `No ${p.locale} captions (every language needs captions)` },
  'chapter-order': { 'zh-CN': () => '章节时间必须从小到大排列', en: () => 'Chapter times must increase' },
  'scenario-start-missing': { 'zh-CN': (p) => `起始节点“${p.id}”不存在`, en: (p) => `The start node "${p.id}" does not exist` },
  'scenario-start-is-ending': { 'zh-CN': (p) => `起始节点“${p.id}”是一个结局，观众无从选择`, en: (p) => `The start "${p.id}" is an ending, so there is nothing to choose` },
  'scenario-next-missing': { 'zh-CN': (p) => `指向不存在的节点或结局“${p.id}”`, en: (p) => `Points to "${p.id}", which is neither a node nor an ending` },
  'scenario-id-clash': { 'zh-CN': (p) => `“${p.id}”同时是节点和结局的编号`, en: (p) => `"${p.id}" is both a node id and an ending id` },
  'scenario-node-unreachable': { 'zh-CN': (p) => `节点“${p.id}”无法从起点到达`, en: (p) => `Node "${p.id}" cannot be reached from the start` },
  'scenario-ending-unreachable': { 'zh-CN': (p) => `结局“${p.id}”无法从起点到达`, en: (p) => `Ending "${p.id}" cannot be reached from the start` },
  'scenario-no-way-out': { 'zh-CN': (p) => `从节点“${p.id}”出发无法到达任何结局（死循环），观众会被困住`, en: (p) => `From node "${p.id}" no path reaches an ending (a loop with no way out): visitors would be stuck` },
  'scenario-no-outcomes': { 'zh-CN': () => '情景需要至少一个安全结局和一个不安全结局', en: () => 'A scenario needs at least one safe and one unsafe ending' },
  'quiz-answer-unknown': { 'zh-CN': (p) => `答案“${p.id}”不是本题的选项`, en: (p) => `Answer "${p.id}" is not one of this question's options` },
  'quiz-single-answer-count': { 'zh-CN': (p) => `单选题和判断题必须恰好有一个答案（现有 ${p.count} 个）`, en: (p) => `Single-choice and true/false questions need exactly one answer (has ${p.count})` },
  'quiz-truefalse-options': { 'zh-CN': () => '判断题必须恰好有两个选项', en: () => 'A true/false question needs exactly two options' },
  'quiz-multiple-one-answer': { 'zh-CN': () => '多选题只有一个答案，建议改为单选题', en: () => 'A multiple-choice question with one answer: consider making it single' },
  'quiz-round-too-large': { 'zh-CN': (p) => `每轮题数 ${p.perRound} 超过题库题数 ${p.total}`, en: (p) => `questionsPerRound (${p.perRound}) is more than the ${p.total} questions in the pool` },
  'quiz-results-range': { 'zh-CN': (p) => `分数段 ${p.from}–${p.to} 起点大于终点`, en: (p) => `Score band ${p.from}–${p.to} starts after it ends` },
  'quiz-results-gap': { 'zh-CN': (p) => `分数段没有覆盖 ${p.from}–${p.to} 分`, en: (p) => `The score bands leave ${p.from}–${p.to} uncovered` },
  'quiz-results-overlap': { 'zh-CN': (p) => `分数段在 ${p.from}–${p.to} 分重叠`, en: (p) => `The score bands overlap at ${p.from}–${p.to}` },
  'file-missing': { 'zh-CN': (p) => `文件“${p.file}”不存在`, en: (p) => `File "${p.file}" does not exist` },
  'file-bad-extension': { 'zh-CN': (p) => `“${p.file}”的类型不允许（允许：${p.allowed}）`, en: (p) => `"${p.file}" is not an allowed type (allowed: ${p.allowed})` },
  'file-wrong-kind': { 'zh-CN': (p) => `此处需要${p.expected}文件，而“${p.file}”不是`, en: (p) => `This needs ${p.expected} file, and "${p.file}" is not one` },
  'file-outside-pack': { 'zh-CN': (p) => `“${p.file}”指向内容包之外`, en: (p) => `"${p.file}" points outside the pack` },
  'file-forbidden': { 'zh-CN': (p) => `内容包中不允许有此类文件：${p.file}（不能包含可执行或脚本文件）`, en: (p) => `Files of this kind are not allowed in a pack: ${p.file} (nothing executable or scriptable)` },
  'file-link': { 'zh-CN': (p) => `“${p.file}”是符号链接，内容包中不允许`, en: (p) => `"${p.file}" is a symbolic link, which packs may not contain` },
  'file-unused': { 'zh-CN': (p) => `文件“${p.file}”没有被使用`, en: (p) => `File "${p.file}" is not used` },
  'file-not-listed': { 'zh-CN': (p) => `“${p.file}”不在 files 清单中（请重新运行 pack build）`, en: (p) => `"${p.file}" is not in the "files" list (run \`pack build\` again)` },
  'file-listed-missing': { 'zh-CN': (p) => `files 清单中的“${p.file}”不存在`, en: (p) => `"${p.file}" is in the "files" list but missing` },
  'file-hash-mismatch': { 'zh-CN': (p) => `“${p.file}”的内容与 files 清单不符（文件被改动或损坏）`, en: (p) => `"${p.file}" does not match its "files" entry (changed or damaged)` },
  'file-case-collision': { 'zh-CN': (p) => `“${p.file}”与“${p.other}”只有大小写不同，在 Windows 上会冲突`, en: (p) => `"${p.file}" and "${p.other}" differ only in case and clash on Windows` },
  'media-empty': { 'zh-CN': () => '文件为空', en: () => 'The file is empty' },
  'media-unknown-container': { 'zh-CN': () => '无法识别的文件格式，展示机可能无法播放', en: () => 'Unrecognised format: the kiosk may not be able to play it' },
  'media-wrong-type': { 'zh-CN': (p) => `文件内容是 ${p.found}，与扩展名不符`, en: (p) => `The content is ${p.found}, which does not match the extension` },
  'media-too-large': { 'zh-CN': (p) => `文件较大（${p.size}），可能加载缓慢（建议小于 ${p.limit}）`, en: (p) => `Large file (${p.size}): it may load slowly (keep it under ${p.limit})` },
  'image-truncated': { 'zh-CN': () => '图片文件不完整', en: () => 'The image file is truncated' },
  'image-corrupt': { 'zh-CN': () => '图片文件已损坏，无法解码', en: () => 'The image is damaged and cannot be decoded' },
  'image-header-too-far': { 'zh-CN': () => '图片头信息位置异常，无法读取尺寸（请用常规工具重新导出）', en: () => 'The image header is not where expected, so its size cannot be read (export it again)' },
  'image-dimensions': { 'zh-CN': () => '图片尺寸无效（为 0 或超过 16384 像素）', en: () => 'Invalid image size (zero or over 16384 pixels)' },
  'vtt-header': { 'zh-CN': () => '字幕文件必须以 WEBVTT 开头', en: () => 'Captions must start with WEBVTT' },
  'vtt-timing': { 'zh-CN': () => '字幕时间格式错误（应为 00:01.000 --> 00:04.000）', en: () => 'Bad cue timing (expected 00:01.000 --> 00:04.000)' },
  'vtt-order': { 'zh-CN': () => '字幕时间顺序错误', en: () => 'Cues are out of order or end before they start' },
  'vtt-empty-cue': { 'zh-CN': () => '字幕条目没有文字', en: () => 'A cue has no text' },
  'vtt-no-cues': { 'zh-CN': () => '字幕文件没有任何字幕', en: () => 'The captions file has no cues' },
  'vtt-encoding': { 'zh-CN': () => '字幕文件必须是 UTF-8 编码', en: () => 'Captions must be UTF-8' },
  'vtt-too-large': { 'zh-CN': () => '字幕文件过大（超过 2 MB）', en: () => 'The captions file is too large (over 2 MB)' },
  'zip-corrupt': { 'zh-CN': () => '压缩包已损坏或不完整（请重新复制文件）', en: () => 'The archive is damaged or incomplete (copy the file again)' },
  'zip-absolute-path': { 'zh-CN': () => '压缩包中有绝对路径，已拒绝', en: () => 'The archive contains an absolute path; refused' },
  'zip-parent-path': { 'zh-CN': () => '压缩包中有指向上级目录的路径（..），已拒绝', en: () => 'The archive contains a path that leaves its folder (..); refused' },
  'zip-backslash': { 'zh-CN': () => '压缩包中的路径含有反斜杠 \\，已拒绝', en: () => 'The archive contains a path with a backslash; refused' },
  'zip-symlink': { 'zh-CN': () => '压缩包中有符号链接或特殊文件，已拒绝', en: () => 'The archive contains a link or special file; refused' },
  'zip-case-collision': { 'zh-CN': () => '压缩包中有仅大小写不同的文件名，已拒绝', en: () => 'The archive has names that differ only in case; refused' },
  'zip-entry-too-large': { 'zh-CN': (p) => `压缩包中的文件过大（上限 ${p.limit}）`, en: (p) => `A file in the archive is too large (limit ${p.limit})` },
  'zip-total-too-large': { 'zh-CN': (p) => `压缩包解压后过大（上限 ${p.limit}）`, en: (p) => `The archive is too large when unpacked (limit ${p.limit})` },
  'zip-ratio': { 'zh-CN': () => '压缩比异常（疑似压缩炸弹），已拒绝', en: () => 'Suspicious compression ratio (a zip bomb?); refused' },
  'zip-too-many-entries': { 'zh-CN': (p) => `压缩包中的文件过多（上限 ${p.limit}）`, en: (p) => `Too many files in the archive (limit ${p.limit})` },
  'zip-encrypted': { 'zh-CN': () => '不支持加密的压缩包', en: () => 'Encrypted archives are not supported' },
  'zip-unsupported': { 'zh-CN': () => '不支持的压缩格式（请用 kiosk pack build 生成 .kpack）', en: () => 'Unsupported archive format (make the .kpack with `kiosk pack build`)' },
  'install-in-use': { 'zh-CN': (p) => `${p.id} ${p.version} 已安装且正在使用；新内容请使用新的版本号`, en: (p) => `${p.id} ${p.version} is installed and in use; give new content a new version number` },
  'install-link': { 'zh-CN': (p) => `内容包中有符号链接（${p.file}），不允许`, en: (p) => `The pack contains a symbolic link (${p.file}), which is not allowed` },
  'install-missing': { 'zh-CN': (p) => `找不到要安装的内容：${p.file}`, en: (p) => `Nothing to install at ${p.file}` },
} satisfies Record<string, Record<MessageLang, Template>>;

export type IssueCode = keyof typeof MESSAGES;

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(MESSAGES, code);
}

export function issueMessage(issue: Pick<PackIssue, 'code' | 'params'>, lang: MessageLang): string {
  return MESSAGES[issue.code][lang](issue.params);
}

/** `activities[2].title: The en text is missing` — one line per finding, as the CLI prints it. */
export function formatIssue(issue: PackIssue, lang: MessageLang): string {
  const where = issue.line === undefined ? issue.where : `${issue.where}:${issue.line}`;
  return `${where}: ${issueMessage(issue, lang)}`;
}

/** Everything `verifyBundle` can find wrong with a bundle, precise enough to say which file, line or seq. */
export type BundleProblem =
  | { code: 'unreadable'; detail: string }
  | { code: 'zip-unsafe'; file: string | null; detail: string }
  | { code: 'entry-missing'; file: string }
  | { code: 'entry-unexpected'; file: string }
  | { code: 'manifest-unreadable'; detail: string }
  | { code: 'format-unknown'; found: string }
  | { code: 'manifest-invalid'; detail: string }
  | { code: 'signature-invalid' }
  | { code: 'file-size'; file: string; expected: number; actual: number }
  | { code: 'file-hash'; file: string }
  | { code: 'line-invalid'; file: string; line: number; detail: string }
  | { code: 'seq-out-of-order'; seq: number; expected: number }
  | { code: 'hash-mismatch'; seq: number }
  | { code: 'head-mismatch' }
  | { code: 'count-mismatch'; file: string; expected: number; actual: number }
  | { code: 'visit-missing'; seq: number; visitId: string }
  | { code: 'audit-out-of-range'; line: number; auditId: number };

export type ProblemLang = 'zh-CN' | 'en';

/** One line per problem, in the reader's language, naming the file, line or seq and the check that failed. */
export function describeBundleProblem(problem: BundleProblem, lang: ProblemLang): string {
  const zh = lang === 'zh-CN';
  switch (problem.code) {
    case 'unreadable':
      return zh ? `无法读取文件：${problem.detail}` : `The file cannot be read: ${problem.detail}`;
    case 'zip-unsafe':
      return zh
        ? `压缩包检查未通过${problem.file ? `（${problem.file}）` : ''}：文件损坏、被截断或不安全（${problem.detail}）`
        : `Zip check failed${problem.file ? ` (${problem.file})` : ''}: the file is damaged, truncated or unsafe (${problem.detail})`;
    case 'entry-missing':
      return zh ? `缺少文件 ${problem.file}` : `${problem.file} is missing`;
    case 'entry-unexpected':
      return zh ? `同步包里不应有文件 ${problem.file}` : `${problem.file} does not belong in a sync bundle`;
    case 'manifest-unreadable':
      return zh ? `manifest.json 不是有效的 JSON：${problem.detail}` : `manifest.json is not valid JSON: ${problem.detail}`;
    case 'format-unknown':
      return zh
        ? `manifest.json：不认识的同步包格式 ${problem.found}（可能由更新版本的软件生成，请先更新本软件）`
        : `manifest.json: unknown bundle format ${problem.found} (perhaps written by a newer version; update this app first)`;
    case 'manifest-invalid':
      return zh ? `manifest.json 内容不完整或有误：${problem.detail}` : `manifest.json is incomplete or wrong: ${problem.detail}`;
    case 'signature-invalid':
      return zh
        ? 'manifest.json：签名校验失败，清单在签名后被改动过，或不是用该展台的密钥签名的'
        : "manifest.json: the signature does not verify; the manifest was changed after signing or not signed with this kiosk's key";
    case 'file-size':
      return zh
        ? `${problem.file}：大小为 ${problem.actual} 字节，清单记载为 ${problem.expected} 字节`
        : `${problem.file}: ${problem.actual} bytes, the manifest says ${problem.expected}`;
    case 'file-hash':
      return zh ? `${problem.file}：SHA-256 与清单不符，文件被改动过` : `${problem.file}: SHA-256 does not match the manifest; the file was changed`;
    case 'line-invalid':
      return zh ? `${problem.file} 第 ${problem.line} 行无效：${problem.detail}` : `${problem.file} line ${problem.line} is not valid: ${problem.detail}`;
    case 'seq-out-of-order':
      return zh
        ? `events.ndjson：序号 ${problem.seq} 出现在应为 ${problem.expected} 的位置（有事件缺失或顺序错乱）`
        : `events.ndjson: seq ${problem.seq} where ${problem.expected} was expected (an event is missing or out of order)`;
    case 'hash-mismatch':
      return zh
        ? `events.ndjson：哈希链在序号 ${problem.seq} 处断开，该事件或之前的事件被改动过`
        : `events.ndjson: the hash chain breaks at seq ${problem.seq}; that event or the one before it was changed`;
    case 'head-mismatch':
      return zh ? 'events.ndjson：最后一个事件的哈希与清单记载的链头不符' : "events.ndjson: the last event's hash is not the head hash in the manifest";
    case 'count-mismatch':
      return zh
        ? `${problem.file}：有 ${problem.actual} 行，清单记载为 ${problem.expected} 行`
        : `${problem.file}: ${problem.actual} lines, the manifest says ${problem.expected}`;
    case 'visit-missing':
      return zh
        ? `events.ndjson：序号 ${problem.seq} 的参观 ${problem.visitId} 不在 visits.ndjson 中`
        : `events.ndjson: the visit ${problem.visitId} of seq ${problem.seq} is not in visits.ndjson`;
    case 'audit-out-of-range':
      return zh
        ? `audit.ndjson 第 ${problem.line} 行：审计编号 ${problem.auditId} 不在清单的范围内或顺序错乱`
        : `audit.ndjson line ${problem.line}: audit id ${problem.auditId} is outside the manifest's range or out of order`;
  }
}

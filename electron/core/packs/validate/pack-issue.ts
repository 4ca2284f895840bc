import type { IssueCode } from './messages';

export type Severity = 'error' | 'warning';

/**
 * One finding about a pack. `where` is a JSON path into pack.json (`activities[3].nodes[1].choices[0].next`)
 * or a file inside the pack (`media/video/intro.zh-CN.vtt`, with `line` for captions).
 */
export interface PackIssue {
  severity: Severity;
  code: IssueCode;
  where: string;
  line?: number;
  params: Record<string, string | number>;
}

export type JsonPath = readonly (string | number)[];

/** `["activities", 3, "title"]` → `activities[3].title`, the form editors and error lists show. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(pack.json)' : out;
}

export class IssueList {
  readonly items: PackIssue[] = [];

  error(code: IssueCode, where: JsonPath | string, params: PackIssue['params'] = {}, line?: number): void {
    this.add('error', code, where, params, line);
  }

  warning(code: IssueCode, where: JsonPath | string, params: PackIssue['params'] = {}, line?: number): void {
    this.add('warning', code, where, params, line);
  }

  private add(severity: Severity, code: IssueCode, where: JsonPath | string, params: PackIssue['params'], line?: number): void {
    const issue: PackIssue = { severity, code, where: typeof where === 'string' ? where : formatJsonPath(where), params };
    if (line !== undefined) issue.line = line;
    this.items.push(issue);
  }
}

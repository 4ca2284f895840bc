import type { PackCheckReport, PackIssueView } from '../../common/kiosk-api';
import { issueMessage } from './validate/messages';
import type { PackIssue } from './validate/pack-issue';
import type { ValidationReport } from './validate/validate-pack';

function view(issue: PackIssue): PackIssueView {
  const out: PackIssueView = { code: issue.code, where: issue.where, message: { 'zh-CN': issueMessage(issue, 'zh-CN'), en: issueMessage(issue, 'en') } };
  if (issue.line !== undefined) out.line = issue.line;
  return out;
}

/** A validation report as it crosses the API: plain data, both languages worded. */
export function toCheckReport(report: ValidationReport): PackCheckReport {
  return {
    ok: report.ok,
    pack: report.manifest ? { id: report.manifest.id, version: report.manifest.version } : null,
    errors: report.errors.map(view),
    warnings: report.warnings.map(view),
  };
}

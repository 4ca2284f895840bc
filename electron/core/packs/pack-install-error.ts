import { issueMessage, type IssueCode } from './validate/messages';
import type { PackIssue } from './validate/pack-issue';
import type { ValidationReport } from './validate/validate-pack';

/**
 * An install that was refused (the pack did not validate, the archive was unsafe, …), with the findings
 * that say why in either language. Nothing changed on the kiosk.
 */
export class PackInstallError extends Error {
  constructor(readonly report: ValidationReport) {
    const first = report.errors[0];
    super(first ? `${first.where}: ${issueMessage(first, 'en')}` : 'The pack was refused');
    this.name = 'PackInstallError';
  }

  static single(code: IssueCode, where: string, params: PackIssue['params'] = {}): PackInstallError {
    return new PackInstallError({ ok: false, errors: [{ severity: 'error', code, where, params }], warnings: [], manifest: null });
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackManifest } from '../../../common/pack-schema';
import { MANIFEST_FILE } from '../read-manifest';
import { compareVersions } from '../semver';
import { checkFiles } from './check-files';
import { checkIds } from './check-ids';
import { checkLocales } from './check-locales';
import { checkQuiz } from './check-quizzes';
import { checkScenario } from './check-scenarios';
import { checkSchema } from './check-schema';
import { IssueList, type PackIssue } from './pack-issue';

export interface ValidationReport {
  ok: boolean;
  errors: PackIssue[];
  warnings: PackIssue[];
  manifest: PackManifest | null;
}

export interface ValidateOptions {
  appVersion: string;
  verifyHashes?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Everything `pack validate` checks (content-pack.md), all at once: schema, languages, ids and links,
 * scenario graphs, quizzes, files and media. Errors block a pack from going live; warnings do not.
 */
export async function validatePack(packDir: string, options: ValidateOptions): Promise<ValidationReport> {
  const issues = new IssueList();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(packDir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    issues.error('json-unreadable', MANIFEST_FILE, { detail: (error as Error).message });
    return report(issues, null);
  }
  const manifest = checkSchema(raw, issues);
  if (manifest) {
    if (manifest.minAppVersion && compareVersions(manifest.minAppVersion, options.appVersion.split('-')[0]!) > 0) {
      issues.error('app-too-old', ['minAppVersion'], { required: manifest.minAppVersion, current: options.appVersion });
    }
    checkLocales(manifest, issues);
    checkIds(manifest, issues);
    manifest.activities.forEach((activity, i) => {
      if (activity.type === 'scenario') checkScenario(activity, ['activities', i], issues);
      if (activity.type === 'quiz') checkQuiz(activity, ['activities', i], issues);
    });
    await checkFiles(packDir, manifest, issues, { verifyHashes: options.verifyHashes ?? true, onProgress: options.onProgress });
  }
  return report(issues, manifest);
}

function report(issues: IssueList, manifest: PackManifest | null): ValidationReport {
  const errors = issues.items.filter((i) => i.severity === 'error');
  return { ok: errors.length === 0, errors, warnings: issues.items.filter((i) => i.severity === 'warning'), manifest };
}

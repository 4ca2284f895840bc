import { join } from 'node:path';
import type { PackManifest } from '../../../common/pack-schema';
import { ALL_ALLOWED, ALLOWED_EXTENSIONS, AUTHORING_FILES, kindOfExtension, listPackFiles, sha256File, type FileKind } from '../pack-files';
import { preflightFile } from '../preflight';
import { MANIFEST_FILE } from '../read-manifest';
import { collectFileReferences } from './file-references';
import type { IssueList } from './pack-issue';
import { isIssueCode } from './messages';

const KIND_NAMES: Record<FileKind, string> = { video: 'a video', captions: 'a WebVTT captions', image: 'an image', audio: 'an audio', document: 'a document' };
const MB = 1024 * 1024;
/** Beyond these a file still works but will load slowly on kiosk hardware. */
const SIZE_HINTS: Partial<Record<FileKind, number>> = { image: 4 * MB, video: 500 * MB, audio: 50 * MB };

export interface FileCheckOptions {
  /** Hash every file against `files` (slow for big packs; `pack build` rewrites `files` anyway). */
  verifyHashes: boolean;
  onProgress?: (done: number, total: number) => void;
}

const formatSize = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** Files: present, allowed, inside the pack, matching `files`, playable, and nothing left over. */
export async function checkFiles(packDir: string, manifest: PackManifest, issues: IssueList, options: FileCheckOptions): Promise<void> {
  const present = listPackFiles(packDir);
  const byPath = new Map(present.map((f) => [f.path, f]));
  const folded = new Map<string, string>();
  for (const file of present) {
    const key = file.path.normalize('NFC').toLowerCase();
    const other = folded.get(key);
    if (other) issues.error('file-case-collision', file.path, { file: file.path, other });
    else folded.set(key, file.path);
    if (file.isLink) issues.error('file-link', file.path, { file: file.path });
    else if (!ALL_ALLOWED.includes(extOf(file.path))) issues.error('file-forbidden', file.path, { file: file.path });
  }

  const referenced = new Set<string>([MANIFEST_FILE, ...AUTHORING_FILES]);
  const toPreflight = new Set<string>();
  for (const ref of collectFileReferences(manifest)) {
    referenced.add(ref.file);
    const entry = byPath.get(ref.file);
    const kind = kindOfExtension(ref.file);
    if (!kind) {
      issues.error('file-bad-extension', ref.path, { file: ref.file, allowed: ALL_ALLOWED.join(' ') });
      continue;
    }
    if (ref.kind && kind !== ref.kind) {
      issues.error('file-wrong-kind', ref.path, { file: ref.file, expected: KIND_NAMES[ref.kind], allowed: ALLOWED_EXTENSIONS[ref.kind].join(' ') });
      continue;
    }
    if (!entry) {
      issues.error('file-missing', ref.path, { file: ref.file });
      continue;
    }
    if (entry.isLink) continue;
    toPreflight.add(ref.file);
    const hint = SIZE_HINTS[kind];
    if (hint && entry.size > hint) issues.warning('media-too-large', ref.file, { size: formatSize(entry.size), limit: formatSize(hint) });
  }
  for (const file of present) {
    if (!referenced.has(file.path) && !file.isLink) issues.warning('file-unused', file.path, { file: file.path });
  }

  for (const file of toPreflight) {
    if (kindOfExtension(file) === 'document') continue;
    const result = await preflightFile(join(packDir, file), extOf(file));
    if (result.ok) continue;
    const code = isIssueCode(result.code) ? result.code : 'media-unknown-container';
    issues.error(code, file, { found: result.found ?? '?' }, result.line);
  }

  if (manifest.files) await checkFileList(packDir, manifest.files, present, issues, options);
}

async function checkFileList(
  packDir: string,
  listed: NonNullable<PackManifest['files']>,
  present: ReturnType<typeof listPackFiles>,
  issues: IssueList,
  options: FileCheckOptions,
): Promise<void> {
  const presentPaths = new Set(present.map((f) => f.path));
  for (const file of Object.keys(listed)) {
    if (!presentPaths.has(file)) issues.error('file-listed-missing', ['files', file], { file });
  }
  const toHash = present.filter((f) => !f.isLink && f.path !== MANIFEST_FILE && !AUTHORING_FILES.has(f.path));
  for (const file of toHash) if (!listed[file.path]) issues.error('file-not-listed', file.path, { file: file.path });
  if (!options.verifyHashes) return;
  const total = toHash.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  for (const file of toHash) {
    const entry = listed[file.path];
    if (!entry) continue;
    if (entry.size !== file.size) {
      issues.error('file-hash-mismatch', ['files', file.path], { file: file.path });
      done += file.size;
      options.onProgress?.(done, total);
      continue;
    }
    const hash = await sha256File(join(packDir, file.path), (n) => {
      done += n;
      options.onProgress?.(done, total);
    });
    if (hash !== entry.sha256) issues.error('file-hash-mismatch', ['files', file.path], { file: file.path });
  }
}

function extOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? '' : file.slice(dot).toLowerCase();
}

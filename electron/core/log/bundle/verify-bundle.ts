import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { sha256File } from '../../packs/pack-files';
import { extractKpack } from '../../packs/zip/read-kpack';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../packs/zip/limits';
import { ZipSafetyError } from '../../packs/zip/zip-safety-error';
import { chainHash, GENESIS_HASH } from '../event-chain';
import {
  auditLineSchema,
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleHeaderSchema,
  bundleManifestSchema,
  eventLineSchema,
  MANIFEST_FILE,
  manifestSignatureValid,
  visitLineSchema,
  type BundleManifest,
} from './bundle-format';
import type { BundleProblem } from './bundle-problems';
import { readLines } from './ndjson-file';

/** A bundle holds four files; anything else is refused before a byte of it is unpacked. */
export const BUNDLE_ZIP_LIMITS: ZipLimits = Object.freeze({ ...DEFAULT_ZIP_LIMITS, maxEntries: 8 });

/** The manifest is small; a huge one is an attack, not a bundle. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface OpenedBundle {
  /** Empty when the bundle passed every check. */
  problems: BundleProblem[];
  /** Set only when the manifest is well-formed (its signature may still be wrong: see problems). */
  manifest: BundleManifest | null;
  /** Of the .kbundle file itself, as fleet_bundle records it. */
  sha256: string;
  bytes: number;
  /** Where the files were unpacked; gone after dispose(). */
  dir: string;
  dispose(): Promise<void>;
}

/** sha256 and size of a file, streamed. */
async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  let bytes = 0;
  const sha256 = await sha256File(path, (n) => (bytes += n));
  return { sha256, bytes };
}

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
};

async function readManifest(dir: string, problems: BundleProblem[]): Promise<BundleManifest | null> {
  const path = join(dir, MANIFEST_FILE);
  if ((await stat(path)).size > MAX_MANIFEST_BYTES) {
    problems.push({ code: 'manifest-invalid', detail: `larger than ${MAX_MANIFEST_BYTES} bytes` });
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    problems.push({ code: 'manifest-unreadable', detail: (error as Error).message });
    return null;
  }
  // The format is told apart first, so a bundle from a newer app is called that, not "invalid".
  const header = bundleHeaderSchema.safeParse(json);
  if (!header.success || header.data.format !== BUNDLE_FORMAT || header.data.formatVersion !== BUNDLE_FORMAT_VERSION) {
    const found = header.success ? `${header.data.format} v${header.data.formatVersion}` : 'none';
    problems.push({ code: 'format-unknown', found });
    return null;
  }
  const parsed = bundleManifestSchema.safeParse(json);
  if (!parsed.success) {
    problems.push({ code: 'manifest-invalid', detail: firstIssue(parsed.error) });
    return null;
  }
  return parsed.data;
}

/** Each ndjson line as the schema's type, or a problem naming the file and line. */
async function* parsedLines<T>(dir: string, file: string, schema: z.ZodType<T>, problems: BundleProblem[]): AsyncGenerator<{ row: T; line: number }> {
  for await (const { text, line } of readLines(join(dir, file))) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ code: 'line-invalid', file, line, detail: (error as Error).message });
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      problems.push({ code: 'line-invalid', file, line, detail: firstIssue(parsed.error) });
      continue;
    }
    yield { row: parsed.data, line };
  }
}

/** Line problems are capped per file: one wrong byte in the middle must not print a million lines. */
const MAX_PROBLEMS_PER_FILE = 20;

async function checkContents(dir: string, manifest: BundleManifest, problems: BundleProblem[]): Promise<void> {
  const capped = () => {
    const list: BundleProblem[] = [];
    return { list, flush: () => problems.push(...list.slice(0, MAX_PROBLEMS_PER_FILE)) };
  };

  const visitIds = new Set<string>();
  const visits = capped();
  let visitLines = 0;
  for await (const { row } of parsedLines(dir, 'visits.ndjson', visitLineSchema, visits.list)) {
    visitLines += 1;
    visitIds.add(row.visit_id);
  }
  visits.flush();
  if (visitLines !== manifest.counts.visits) problems.push({ code: 'count-mismatch', file: 'visits.ndjson', expected: manifest.counts.visits, actual: visitLines });

  // The chain is walked from the manifest's prevHash; after the first break every later hash would
  // mismatch too, so only the first is reported, which is the row an official should look at.
  const events = capped();
  let previous = manifest.seq.prevHash;
  let expectedSeq = manifest.seq.from;
  let chainIntact = true;
  let eventLines = 0;
  // The first event of a kiosk follows the genesis hash, whatever a manifest claims.
  if (manifest.seq.from === 1 && manifest.seq.prevHash !== GENESIS_HASH) {
    events.list.push({ code: 'hash-mismatch', seq: 1 });
    chainIntact = false;
  }
  for await (const { row } of parsedLines(dir, 'events.ndjson', eventLineSchema, events.list)) {
    eventLines += 1;
    if (chainIntact && row.seq !== expectedSeq) {
      events.list.push({ code: 'seq-out-of-order', seq: row.seq, expected: expectedSeq });
      chainIntact = false;
    }
    if (chainIntact && chainHash(previous, row) !== row.hash) {
      events.list.push({ code: 'hash-mismatch', seq: row.seq });
      chainIntact = false;
    }
    if (!visitIds.has(row.visit_id)) events.list.push({ code: 'visit-missing', seq: row.seq, visitId: row.visit_id });
    previous = row.hash;
    expectedSeq = row.seq + 1;
  }
  events.flush();
  if (eventLines !== manifest.counts.events) problems.push({ code: 'count-mismatch', file: 'events.ndjson', expected: manifest.counts.events, actual: eventLines });
  const expectedEvents = manifest.seq.to - manifest.seq.from + 1;
  if (expectedEvents !== manifest.counts.events) problems.push({ code: 'count-mismatch', file: MANIFEST_FILE, expected: expectedEvents, actual: manifest.counts.events });
  if (chainIntact && previous !== manifest.seq.headHash) problems.push({ code: 'head-mismatch' });

  const audit = capped();
  let auditLines = 0;
  let lastAudit = manifest.audit.from - 1;
  for await (const { row, line } of parsedLines(dir, 'audit.ndjson', auditLineSchema, audit.list)) {
    auditLines += 1;
    if (row.audit_id <= lastAudit || row.audit_id > manifest.audit.to) audit.list.push({ code: 'audit-out-of-range', line, auditId: row.audit_id });
    lastAudit = row.audit_id;
  }
  audit.flush();
  if (auditLines !== manifest.counts.audit) problems.push({ code: 'count-mismatch', file: 'audit.ndjson', expected: manifest.counts.audit, actual: auditLines });
}

/**
 * Unpacks a .kbundle into a temp folder (zip safety checks first) and checks everything that makes it
 * trustworthy: the set of files, the manifest's format and schema, its signature, each file's size and
 * sha256, and, line by line, the hash chain from prevHash to the head, the seq run and the counts. All
 * problems are collected rather than stopping at the first, so one run tells an official the whole story.
 * The caller reads the unpacked files (merge) and must call dispose().
 */
export async function openBundle(path: string): Promise<OpenedBundle> {
  const problems: BundleProblem[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-bundle-read-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  let whole: { sha256: string; bytes: number };
  try {
    whole = await hashFile(path);
  } catch (error) {
    await dispose();
    return { problems: [{ code: 'unreadable', detail: (error as Error).message }], manifest: null, sha256: '', bytes: 0, dir, dispose };
  }
  const result = (manifest: BundleManifest | null): OpenedBundle => ({ problems, manifest, ...whole, dir, dispose });
  try {
    return result(await checkUnpacked(path, dir, problems));
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The checks of openBundle once the whole file was read; returns the manifest when it is well-formed. */
async function checkUnpacked(path: string, dir: string, problems: BundleProblem[]): Promise<BundleManifest | null> {
  try {
    await extractKpack(path, dir, { limits: BUNDLE_ZIP_LIMITS });
  } catch (error) {
    if (!(error instanceof ZipSafetyError)) throw error;
    problems.push({ code: 'zip-unsafe', file: error.entry, detail: error.code });
    return null;
  }

  const present = new Set(await readdir(dir, { recursive: true }));
  const expected = [MANIFEST_FILE, ...BUNDLE_FILES];
  for (const name of present) if (!expected.includes(name)) problems.push({ code: 'entry-unexpected', file: name });
  for (const name of expected) if (!present.has(name)) problems.push({ code: 'entry-missing', file: name });
  if (!present.has(MANIFEST_FILE)) return null;

  const manifest = await readManifest(dir, problems);
  if (!manifest) return null;
  if (!manifestSignatureValid(manifest)) problems.push({ code: 'signature-invalid' });
  for (const name of BUNDLE_FILES) {
    if (!present.has(name)) continue;
    const actual = await hashFile(join(dir, name));
    const declared = manifest.files[name];
    if (actual.bytes !== declared.bytes) problems.push({ code: 'file-size', file: name, expected: declared.bytes, actual: actual.bytes });
    else if (actual.sha256 !== declared.sha256) problems.push({ code: 'file-hash', file: name });
  }
  if (BUNDLE_FILES.every((name) => present.has(name))) await checkContents(dir, manifest, problems);
  return manifest;
}

export interface BundleVerdict {
  ok: boolean;
  problems: BundleProblem[];
  manifest: BundleManifest | null;
  sha256: string;
}

/** openBundle for a yes/no answer: nothing is left unpacked afterwards. */
export async function verifyBundle(path: string): Promise<BundleVerdict> {
  const opened = await openBundle(path);
  try {
    return { ok: opened.problems.length === 0, problems: opened.problems, manifest: opened.manifest, sha256: opened.sha256 };
  } finally {
    await opened.dispose();
  }
}

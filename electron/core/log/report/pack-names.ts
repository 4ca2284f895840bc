import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locale, LocalizedText } from '../../../common/locales';
import type { PackManifest, QuizActivity, ScenarioActivity } from '../../../common/pack-schema';
import { MANIFEST_FILE, readManifest } from '../../packs/read-manifest';
import { compareVersions } from '../../packs/semver';

/** Where the names in the report came from, stated on its cover. */
export type PackOrigin = 'option' | 'installed' | 'bundled' | 'none';

export interface ReportPack {
  manifest: PackManifest | null;
  origin: PackOrigin;
  dir: string | null;
}

/**
 * The pack whose titles the report shows: the one given with --pack, else the installed copy of the
 * logged pack next to the database (`<dataDir>/packs/<id>/<version>`, the logged version if present, else
 * the newest), else the bundled pack when it is the same pack. Without one the report shows ids.
 */
export function findReportPack(options: { dbFile: string; packId: string | null; packVersion: string | null; packDir?: string; bundledPackDir?: string }): ReportPack {
  if (options.packDir) return { manifest: readManifest(options.packDir), origin: 'option', dir: options.packDir };
  if (options.packId) {
    const idDir = join(dirname(options.dbFile), 'packs', options.packId);
    if (existsSync(idDir)) {
      const versions = readdirSync(idDir)
        .filter((v) => existsSync(join(idDir, v, MANIFEST_FILE)))
        .sort(compareVersions);
      const version = versions.includes(options.packVersion ?? '') ? options.packVersion! : versions.at(-1);
      if (version) {
        try {
          return { manifest: readManifest(join(idDir, version)), origin: 'installed', dir: join(idDir, version) };
        } catch {
          // A damaged install: fall through to the bundled pack rather than fail the whole report.
        }
      }
    }
  }
  if (options.bundledPackDir && existsSync(join(options.bundledPackDir, MANIFEST_FILE))) {
    const manifest = readManifest(options.bundledPackDir);
    if (!options.packId || manifest.id === options.packId) return { manifest, origin: 'bundled', dir: options.bundledPackDir };
  }
  return { manifest: null, origin: 'none', dir: null };
}

/** Looks names up in the pack, falling back to the other language and then to the id itself. */
export class PackNames {
  private readonly exhibits = new Map<string, LocalizedText>();
  private readonly activities = new Map<string, { title: LocalizedText; type: string }>();
  private readonly scenarios = new Map<string, ScenarioActivity>();
  private readonly quizzes = new Map<string, QuizActivity>();

  constructor(
    readonly manifest: PackManifest | null,
    readonly lang: Locale,
  ) {
    for (const exhibit of manifest?.exhibits ?? []) this.exhibits.set(exhibit.id, exhibit.title);
    for (const activity of manifest?.activities ?? []) {
      this.activities.set(activity.id, { title: activity.title, type: activity.type });
      if (activity.type === 'scenario') this.scenarios.set(activity.id, activity);
      if (activity.type === 'quiz') this.quizzes.set(activity.id, activity);
    }
  }

  text(text: LocalizedText | undefined, fallback: string): string {
    if (!text) return fallback;
    const other: Locale = this.lang === 'zh-CN' ? 'en' : 'zh-CN';
    return text[this.lang] ?? text[other] ?? fallback;
  }

  packTitle(fallback: string): string {
    return this.text(this.manifest?.title, fallback);
  }

  exhibit(id: string): string {
    return this.text(this.exhibits.get(id), id);
  }

  activity(id: string): string {
    return this.text(this.activities.get(id)?.title, id);
  }

  activityType(id: string): string | null {
    return this.activities.get(id)?.type ?? null;
  }

  /** The exhibits and activities in the pack's own order, so tables read like the kiosk's menus. */
  activityOrder(): string[] {
    return (this.manifest?.exhibits ?? []).flatMap((e) => e.activities);
  }

  scenario(id: string): ScenarioActivity | null {
    return this.scenarios.get(id) ?? null;
  }

  quiz(id: string): QuizActivity | null {
    return this.quizzes.get(id) ?? null;
  }

  scenarioNode(scenarioId: string, nodeId: string): string {
    const node = this.scenarios.get(scenarioId)?.nodes.find((n) => n.id === nodeId);
    return node ? this.text(node.text, nodeId) : nodeId;
  }

  scenarioChoice(scenarioId: string, nodeId: string, choiceId: string): string {
    const choice = this.scenarios.get(scenarioId)?.nodes.find((n) => n.id === nodeId)?.choices.find((c) => c.id === choiceId);
    return choice ? this.text(choice.label, choiceId) : choiceId;
  }

  scenarioEnding(scenarioId: string, endingId: string): string {
    const ending = this.scenarios.get(scenarioId)?.endings.find((e) => e.id === endingId);
    return ending ? this.text(ending.title, endingId) : endingId;
  }

  question(quizId: string, questionId: string): string {
    const question = this.quizzes.get(quizId)?.questions.find((q) => q.id === questionId);
    return question ? this.text(question.prompt, questionId) : questionId;
  }

  options(quizId: string, questionId: string, optionIds: readonly string[]): string {
    const question = this.quizzes.get(quizId)?.questions.find((q) => q.id === questionId);
    const sep = this.lang === 'zh-CN' ? '、' : '; ';
    return optionIds.map((id) => this.text(question?.options.find((o) => o.id === id)?.text, id)).join(sep);
  }
}

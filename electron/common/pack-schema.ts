import { z } from 'zod';
import { UI_LOCALES } from './locales';

/**
 * Regex messages are codes (format:…): the validator turns them into sentences in the author's language.
 *
 * The content-pack format (docs: content-pack.md) as the one schema the code, the validator and the
 * published JSON Schema share. Cross-reference checks (ids that must exist, locale completeness, graph
 * shape, files) need the whole pack and live in the validator, not here.
 */
export const PACK_SCHEMA_VERSION = 1;

export const idSchema = z.string().regex(/^[a-z0-9-]+$/, 'format:id');
export const localeSchema = z.enum(UI_LOCALES);
export const localizedTextSchema = z
  .partialRecord(localeSchema, z.string().min(1))
  .describe('Text in every language of the pack: { "zh-CN": "…", "en": "…" }');
/** A path inside the pack, always with forward slashes. */
export const packPathSchema = z
  .string()
  .min(1)
  .regex(/^(?![/\\])(?!.*(^|\/)\.\.(\/|$))[^\\:*?"<>|]+$/, 'format:path');

const localizedPathSchema = z.union([packPathSchema, z.partialRecord(localeSchema, packPathSchema)]);

const activityBase = { id: idSchema, title: localizedTextSchema };

export const videoActivitySchema = z.object({
  ...activityBase,
  type: z.literal('video'),
  src: localizedPathSchema,
  captions: z.partialRecord(localeSchema, packPathSchema),
  poster: packPathSchema.optional(),
  chapters: z.array(z.object({ at: z.number().nonnegative(), title: localizedTextSchema })).optional(),
});

export const scenarioChoiceSchema = z.object({
  id: idSchema,
  label: localizedTextSchema,
  next: idSchema.describe('The id of the node or ending this choice leads to'),
  feedback: localizedTextSchema,
  safe: z.boolean().describe('Whether this is the safe thing to do; shown in the feedback and the recap'),
});

export const scenarioActivitySchema = z.object({
  ...activityBase,
  type: z.literal('scenario'),
  intro: localizedTextSchema,
  start: idSchema.describe('The id of the first node'),
  nodes: z
    .array(
      z.object({
        id: idSchema,
        text: localizedTextSchema,
        image: packPathSchema.optional(),
        choices: z.array(scenarioChoiceSchema).min(1),
      }),
    )
    .min(1),
  endings: z
    .array(
      z.object({
        id: idSchema,
        title: localizedTextSchema,
        text: localizedTextSchema,
        outcome: z.enum(['safe', 'unsafe']),
      }),
    )
    .min(1),
});

export const quizQuestionSchema = z.object({
  id: idSchema,
  kind: z.enum(['single', 'multiple', 'truefalse']),
  prompt: localizedTextSchema,
  image: packPathSchema.optional(),
  options: z.array(z.object({ id: idSchema, text: localizedTextSchema })).min(2),
  answer: z.array(idSchema).min(1).describe('The ids of the correct options'),
  explanation: localizedTextSchema,
  tags: z.array(z.string()).optional(),
});

export const quizActivitySchema = z.object({
  ...activityBase,
  type: z.literal('quiz'),
  questionsPerRound: z.int().positive().describe('How many questions one visitor answers, drawn from the pool'),
  passPercent: z.number().min(0).max(100).describe('Score (percent) at which a round counts as passed'),
  shuffle: z.boolean().default(true),
  questions: z.array(quizQuestionSchema).min(1),
  results: z
    .array(z.object({ from: z.int().min(0).max(100), to: z.int().min(0).max(100), text: localizedTextSchema }))
    .min(1),
});

export const articleActivitySchema = z.object({
  ...activityBase,
  type: z.literal('article'),
  body: localizedTextSchema,
  image: packPathSchema.optional(),
  qr: z
    .object({ url: z.url().max(300), caption: localizedTextSchema.optional() })
    .optional()
    .describe('A QR code drawn on the kiosk (offline) that leads to this address'),
});

export const activitySchema = z.discriminatedUnion('type', [
  videoActivitySchema,
  scenarioActivitySchema,
  quizActivitySchema,
  articleActivitySchema,
]);

export const exhibitSchema = z.object({
  id: idSchema,
  title: localizedTextSchema,
  summary: localizedTextSchema,
  image: packPathSchema.optional(),
  activities: z.array(idSchema).min(1).describe('Ids of the activities shown in this exhibit, in order'),
});

export const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'format:sha256'),
  size: z.int().nonnegative(),
});

export const packManifestSchema = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(PACK_SCHEMA_VERSION).describe('The version of this format; 1'),
  id: z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, 'format:pack-id'),
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'format:semver')
    .describe('Semantic version of this content; every visit records it'),
  title: localizedTextSchema,
  locales: z.array(localeSchema).min(1),
  defaultLocale: localeSchema,
  minAppVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'format:semver').optional(),
  publisher: z.object({ name: localizedTextSchema, contact: z.string().optional() }).optional(),
  theme: z
    .object({ primary: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'format:color'), logo: packPathSchema.optional() })
    .optional(),
  attract: z.object({
    video: packPathSchema.optional(),
    headline: localizedTextSchema,
    cta: localizedTextSchema,
  }),
  exhibits: z.array(exhibitSchema).min(1),
  activities: z.array(activitySchema).min(1),
  files: z
    .record(packPathSchema, fileEntrySchema)
    .optional()
    .describe('Written by `kiosk pack build`: the sha256 and size of every file, checked at install'),
});

export type PackManifest = z.infer<typeof packManifestSchema>;
export type Exhibit = z.infer<typeof exhibitSchema>;
export type Activity = z.infer<typeof activitySchema>;
export type VideoActivity = z.infer<typeof videoActivitySchema>;
export type ScenarioActivity = z.infer<typeof scenarioActivitySchema>;
export type QuizActivity = z.infer<typeof quizActivitySchema>;
export type ArticleActivity = z.infer<typeof articleActivitySchema>;
export type ActivityType = Activity['type'];

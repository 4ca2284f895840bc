import { z } from 'zod';
import { UI_LOCALES } from './locales';

/**
 * The content-pack format (docs: content-pack.md) as the one schema the code, the validator and the
 * published JSON Schema share. Cross-reference checks (ids that must exist, locale completeness, graph
 * shape, files) need the whole pack and live in the validator, not here.
 */
export const PACK_SCHEMA_VERSION = 1;

export const idSchema = z.string().regex(/^[a-z0-9-]+$/, 'ids use only a-z, 0-9 and -');
export const localeSchema = z.enum(UI_LOCALES);
export const localizedTextSchema = z.partialRecord(localeSchema, z.string().min(1));
/** A path inside the pack, always with forward slashes. */
export const packPathSchema = z
  .string()
  .min(1)
  .regex(/^(?![/\\])(?!.*(^|\/)\.\.(\/|$))[^\\:*?"<>|]+$/, 'a relative path inside the pack, with / separators');

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
  next: idSchema,
  feedback: localizedTextSchema,
  safe: z.boolean(),
});

export const scenarioActivitySchema = z.object({
  ...activityBase,
  type: z.literal('scenario'),
  intro: localizedTextSchema,
  start: idSchema,
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
  answer: z.array(idSchema).min(1),
  explanation: localizedTextSchema,
  tags: z.array(z.string()).optional(),
});

export const quizActivitySchema = z.object({
  ...activityBase,
  type: z.literal('quiz'),
  questionsPerRound: z.int().positive(),
  passPercent: z.number().min(0).max(100),
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
  qr: z.object({ url: z.url(), caption: localizedTextSchema.optional() }).optional(),
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
  activities: z.array(idSchema).min(1),
});

export const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().nonnegative(),
});

export const packManifestSchema = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(PACK_SCHEMA_VERSION),
  id: z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, 'a reverse-DNS id such as org.example.my-pack'),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.2.0'),
  title: localizedTextSchema,
  locales: z.array(localeSchema).min(1),
  defaultLocale: localeSchema,
  minAppVersion: z.string().regex(/^\d+\.\d+\.\d+$/).optional(),
  publisher: z.object({ name: localizedTextSchema, contact: z.string().optional() }).optional(),
  theme: z
    .object({ primary: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #b3261e'), logo: packPathSchema.optional() })
    .optional(),
  attract: z.object({
    video: packPathSchema.optional(),
    headline: localizedTextSchema,
    cta: localizedTextSchema,
  }),
  exhibits: z.array(exhibitSchema).min(1),
  activities: z.array(activitySchema).min(1),
  files: z.record(packPathSchema, fileEntrySchema).optional(),
});

export type PackManifest = z.infer<typeof packManifestSchema>;
export type Exhibit = z.infer<typeof exhibitSchema>;
export type Activity = z.infer<typeof activitySchema>;
export type VideoActivity = z.infer<typeof videoActivitySchema>;
export type ScenarioActivity = z.infer<typeof scenarioActivitySchema>;
export type QuizActivity = z.infer<typeof quizActivitySchema>;
export type ArticleActivity = z.infer<typeof articleActivitySchema>;
export type ActivityType = Activity['type'];

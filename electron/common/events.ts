import { z } from 'zod';
import { localeSchema } from './pack-schema';

/** Why a visit ended (visit-log.md). */
export const END_REASONS = ['completed', 'idle', 'home', 'shutdown', 'recovered'] as const;
export const endReasonSchema = z.enum(END_REASONS);
export type EndReason = z.infer<typeof endReasonSchema>;

const seconds = z.number().nonnegative().finite();
/** Played stretches of a video as [start, end] seconds: the report's holding power is their union. */
const segmentsSchema = z.array(z.tuple([seconds, seconds])).max(500);
const idRef = z.string().min(1).max(128);

/**
 * The data each event type carries. `visit.start` and `visit.end` are written by the service itself
 * together with the visit row, so a visit and its boundary events can never disagree.
 */
export const eventDataSchemas = {
  'visit.start': z.strictObject({ locale: localeSchema }),
  'visit.end': z.strictObject({ reason: endReasonSchema }),
  'locale.change': z.strictObject({ from: localeSchema, to: localeSchema }),
  'exhibit.open': z.strictObject({}),
  'activity.open': z.strictObject({ activityType: z.enum(['video', 'scenario', 'quiz', 'article']) }),
  'activity.close': z.strictObject({ reason: z.enum(['back', 'home', 'idle', 'completed']), ms: z.int().nonnegative() }),
  'video.play': z.strictObject({ position: seconds }),
  'video.pause': z.strictObject({ position: seconds }),
  'video.seek': z.strictObject({ from: seconds, to: seconds }),
  'video.ended': z.strictObject({ duration: seconds, segments: segmentsSchema }),
  'scenario.choice': z.strictObject({ choice: idRef, next: idRef, safe: z.boolean() }),
  'scenario.end': z.strictObject({ ending: idRef, outcome: z.enum(['safe', 'unsafe']), path: z.array(idRef).max(200) }),
  'quiz.start': z.strictObject({ questions: z.array(idRef).max(200) }),
  'quiz.answer': z.strictObject({ chosen: z.array(idRef).max(20), correct: z.boolean(), ms: z.int().nonnegative() }),
  'quiz.finish': z.strictObject({
    score: z.int().nonnegative(),
    total: z.int().positive(),
    percent: z.number().min(0).max(100),
    passed: z.boolean(),
  }),
  'article.qr.show': z.strictObject({ url: z.string().max(2048) }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

/** Types only the service writes; a client that sends them is refused. */
export const SERVICE_EVENT_TYPES: readonly EventType[] = ['visit.start', 'visit.end'];

const clientEventBase = {
  tMs: z.int().nonnegative().max(7 * 24 * 3600 * 1000),
  exhibitId: idRef.optional(),
  activityId: idRef.optional(),
  itemId: idRef.optional(),
};

type ClientEventVariant<T extends EventType> = z.ZodObject<{
  type: z.ZodLiteral<T>;
  data: (typeof eventDataSchemas)[T];
  tMs: typeof clientEventBase.tMs;
  exhibitId: typeof clientEventBase.exhibitId;
  activityId: typeof clientEventBase.activityId;
  itemId: typeof clientEventBase.itemId;
}>;

function clientVariant<T extends EventType>(type: T): ClientEventVariant<T> {
  return z.strictObject({ type: z.literal(type), data: eventDataSchemas[type], ...clientEventBase }) as ClientEventVariant<T>;
}

/** An event as the renderer sends it: the service adds seq, ids, wall time and the hash chain. */
export const clientEventSchema = z.discriminatedUnion('type', [
  clientVariant('locale.change'),
  clientVariant('exhibit.open'),
  clientVariant('activity.open'),
  clientVariant('activity.close'),
  clientVariant('video.play'),
  clientVariant('video.pause'),
  clientVariant('video.seek'),
  clientVariant('video.ended'),
  clientVariant('scenario.choice'),
  clientVariant('scenario.end'),
  clientVariant('quiz.start'),
  clientVariant('quiz.answer'),
  clientVariant('quiz.finish'),
  clientVariant('article.qr.show'),
]);
export type ClientEvent = z.infer<typeof clientEventSchema>;

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PackManifest, QuizActivity } from '../../electron/common/pack-schema';

/** The bundled pack, read by the tests to know the right answers and the ids to expect in the log. */
export const PACK = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../exhibits/consular-protection/pack.json', import.meta.url)), 'utf8'),
) as PackManifest;

export const QUIZ = PACK.activities.find((a) => a.id === 'safety-quiz') as QuizActivity;

export function answerOf(questionId: string): { kind: string; answer: string[] } {
  const question = QUIZ.questions.find((q) => q.id === questionId);
  if (!question) throw new Error(`No question ${questionId}`);
  return { kind: question.kind, answer: question.answer };
}

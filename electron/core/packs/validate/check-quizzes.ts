import type { QuizActivity } from '../../../common/pack-schema';
import { reportDuplicates } from './check-ids';
import type { IssueList, JsonPath } from './pack-issue';

/** Answers that exist, answer counts that fit the kind, a round the pool can fill, and score bands 0..100. */
export function checkQuiz(quiz: QuizActivity, base: JsonPath, issues: IssueList): void {
  reportDuplicates(quiz.questions, [...base, 'questions'], issues);
  quiz.questions.forEach((question, q) => {
    const path = [...base, 'questions', q];
    reportDuplicates(question.options, [...path, 'options'], issues);
    const options = new Set(question.options.map((o) => o.id));
    question.answer.forEach((answer, a) => {
      if (!options.has(answer)) issues.error('quiz-answer-unknown', [...path, 'answer', a], { id: answer });
    });
    if (question.kind !== 'multiple' && question.answer.length !== 1) {
      issues.error('quiz-single-answer-count', [...path, 'answer'], { count: question.answer.length });
    }
    if (question.kind === 'truefalse' && question.options.length !== 2) issues.error('quiz-truefalse-options', [...path, 'options']);
    if (question.kind === 'multiple' && question.answer.length === 1) issues.warning('quiz-multiple-one-answer', [...path, 'answer']);
  });
  if (quiz.questionsPerRound > quiz.questions.length) {
    issues.error('quiz-round-too-large', [...base, 'questionsPerRound'], { perRound: quiz.questionsPerRound, total: quiz.questions.length });
  }
  checkScoreBands(quiz, base, issues);
}

function checkScoreBands(quiz: QuizActivity, base: JsonPath, issues: IssueList): void {
  const bands = quiz.results.map((r, i) => ({ ...r, i }));
  let valid = true;
  for (const band of bands) {
    if (band.from > band.to) {
      issues.error('quiz-results-range', [...base, 'results', band.i], { from: band.from, to: band.to });
      valid = false;
    }
  }
  if (!valid) return;
  bands.sort((a, b) => a.from - b.from);
  let covered = -1;
  for (const band of bands) {
    if (band.from > covered + 1) issues.error('quiz-results-gap', [...base, 'results'], { from: covered + 1, to: band.from - 1 });
    if (band.from <= covered) issues.error('quiz-results-overlap', [...base, 'results', band.i], { from: band.from, to: Math.min(covered, band.to) });
    covered = Math.max(covered, band.to);
  }
  if (covered < 100) issues.error('quiz-results-gap', [...base, 'results'], { from: covered + 1, to: 100 });
}

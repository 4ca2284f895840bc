import type { QuizActivity } from '../../../electron/common/pack-schema';
import { shuffled, type Random } from '../lib/shuffle';

export type QuizQuestion = QuizActivity['questions'][number];
export type QuizOption = QuizQuestion['options'][number];

export interface QuizAnswerRecord {
  questionId: string;
  chosen: string[];
  correct: boolean;
  ms: number;
}

/**
 * One visitor's round of a quiz: which questions they get, what they answered and how they did.
 * Lists are raw state (replaced, never mutated) so records can go to the visit log without proxies.
 */
export class QuizRound {
  readonly questions: QuizQuestion[];
  index = $state(0);
  selected = $state.raw<string[]>([]);
  phase = $state<'answering' | 'feedback' | 'finished'>('answering');

  readonly #quiz: QuizActivity;
  readonly #now: () => number;
  /** Drawn once per question, so the options do not jump around when the screen re-reads them. */
  readonly #optionOrders: QuizOption[][];
  #shownAt: number;
  #answers = $state.raw<QuizAnswerRecord[]>([]);

  // `.by` because the round's data is only set in the constructor, after the field initialisers.
  readonly current = $derived.by(() => this.questions[this.index] ?? null);
  readonly options = $derived.by(() => this.#optionOrders[this.index] ?? []);
  readonly score = $derived(this.#answers.filter((answer) => answer.correct).length);
  readonly percent = $derived.by(() => Math.round((100 * this.score) / this.questions.length));
  readonly passed = $derived.by(() => this.percent >= this.#quiz.passPercent);
  readonly band = $derived.by(
    () => this.#quiz.results.find((band) => band.from <= this.percent && this.percent <= band.to) ?? null,
  );
  readonly missed = $derived.by(() =>
    // Answers are recorded one per question, in round order.
    this.#answers.flatMap((answer, i) => {
      const question = this.questions[i];
      return !answer.correct && question ? [{ question, chosen: answer.chosen }] : [];
    }),
  );

  constructor(quiz: QuizActivity, options: { random?: Random; now?: () => number } = {}) {
    const random = options.random ?? Math.random;
    this.#quiz = quiz;
    this.#now = options.now ?? (() => performance.now());
    const pool = quiz.shuffle ? shuffled(quiz.questions, random) : quiz.questions;
    this.questions = pool.slice(0, quiz.questionsPerRound);
    // True/false keep their order: "true" on the left every time, or visitors tap the wrong side.
    this.#optionOrders = this.questions.map((question) =>
      quiz.shuffle && question.kind !== 'truefalse' ? shuffled(question.options, random) : [...question.options],
    );
    this.#shownAt = this.#now();
  }

  get answers(): QuizAnswerRecord[] {
    return this.#answers;
  }

  /** One tap answers a single-choice or true/false question; multiple choice waits for submit. */
  toggle(optionId: string): void {
    const question = this.current;
    if (this.phase !== 'answering' || !question?.options.some((option) => option.id === optionId)) return;
    if (question.kind === 'multiple') {
      this.selected = this.selected.includes(optionId)
        ? this.selected.filter((id) => id !== optionId)
        : [...this.selected, optionId];
      return;
    }
    this.selected = [optionId];
    this.submit();
  }

  submit(): QuizAnswerRecord | null {
    const question = this.current;
    if (this.phase !== 'answering' || !question || this.selected.length === 0) return null;
    // Chosen ids follow the pack's option order, whatever order they were tapped in.
    const chosen = question.options.map((option) => option.id).filter((id) => this.selected.includes(id));
    const record: QuizAnswerRecord = {
      questionId: question.id,
      chosen,
      correct: chosen.length === question.answer.length && question.answer.every((id) => chosen.includes(id)),
      // Whole milliseconds, as the visit log stores them.
      ms: Math.max(0, Math.round(this.#now() - this.#shownAt)),
    };
    this.#answers = [...this.#answers, record];
    this.phase = 'feedback';
    return record;
  }

  next(): void {
    if (this.phase !== 'feedback') return;
    this.index += 1;
    this.selected = [];
    if (this.index >= this.questions.length) {
      this.phase = 'finished';
      return;
    }
    this.#shownAt = this.#now();
    this.phase = 'answering';
  }

  isCorrectOption(optionId: string): boolean {
    return this.current?.answer.includes(optionId) ?? false;
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packManifestSchema, type QuizActivity } from '../../electron/common/pack-schema';
import { seededRandom, shuffled } from '../../renderer/src/lib/shuffle';
import { QuizRound, type QuizQuestion } from '../../renderer/src/state/quiz-round.svelte';
import { BUNDLED_PACK } from '../helpers/paths';

const text = (en: string) => ({ en });

const single = (id: string, answer = 'b'): QuizQuestion => ({
  id,
  kind: 'single',
  prompt: text(id),
  options: ['a', 'b', 'c', 'd'].map((option) => ({ id: option, text: text(option) })),
  answer: [answer],
  explanation: text('why'),
});

const multiple = (id: string, answer: string[]): QuizQuestion => ({ ...single(id), kind: 'multiple', answer });

const trueFalse = (id: string, answer: 'true' | 'false'): QuizQuestion => ({
  id,
  kind: 'truefalse',
  prompt: text(id),
  options: [
    { id: 'true', text: text('True') },
    { id: 'false', text: text('False') },
  ],
  answer: [answer],
  explanation: text('why'),
});

const pool = (count: number) => Array.from({ length: count }, (_, i) => single(`q${i + 1}`));

const makeQuiz = (questions: QuizQuestion[], edit: Partial<QuizActivity> = {}): QuizActivity => ({
  id: 'quiz',
  type: 'quiz',
  title: text('Quiz'),
  questionsPerRound: questions.length,
  passPercent: 60,
  shuffle: false,
  questions,
  results: [
    { from: 0, to: 59, text: text('Keep going') },
    { from: 60, to: 100, text: text('Well done') },
  ],
  ...edit,
});

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);

/** Answers every question of the round, the first `correctCount` of them correctly. */
function play(round: QuizRound, correctCount: number): void {
  while (round.phase !== 'finished') {
    const question = round.current!;
    const right = round.answers.length < correctCount;
    const chosen = right ? question.answer : question.options.map((o) => o.id).filter((id) => !question.answer.includes(id));
    for (const id of chosen) round.toggle(id);
    round.submit();
    round.next();
  }
}

describe('shuffle', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first);
    for (const n of first) expect(n >= 0 && n < 1).toBe(true);
  });

  it('returns a new permutation and leaves the input alone', () => {
    const items = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
    const result = shuffled(items, seededRandom(7));
    expect([...result].sort()).toEqual([...items]);
    expect(result).not.toBe(items);
    expect(shuffled(items, seededRandom(7))).toEqual(result);
  });

  it('stays in bounds when a random source returns 1', () => {
    expect([...shuffled(['a', 'b', 'c'], () => 1)].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('QuizRound drawing', () => {
  it('draws exactly questionsPerRound distinct questions from the pool', () => {
    const quiz = makeQuiz(pool(10), { questionsPerRound: 4, shuffle: true });
    const drawn = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const round = new QuizRound(quiz, { random: seededRandom(seed) });
      expect(round.questions).toHaveLength(4);
      expect(new Set(ids(round.questions)).size).toBe(4);
      for (const id of ids(round.questions)) drawn.add(id);
    }
    // A draw from the whole pool, not a shuffle of its first four.
    expect(drawn.size).toBeGreaterThan(4);
  });

  it('takes the whole pool when it is smaller than a round', () => {
    const round = new QuizRound(makeQuiz(pool(3), { questionsPerRound: 10, shuffle: true }), { random: seededRandom(1) });
    expect(ids(round.questions).sort()).toEqual(['q1', 'q2', 'q3']);
  });

  it('reproduces the order for a seed, and it is not the pool order', () => {
    const quiz = makeQuiz(pool(8), { shuffle: true });
    const order = ids(new QuizRound(quiz, { random: seededRandom(2024) }).questions);
    expect(ids(new QuizRound(quiz, { random: seededRandom(2024) }).questions)).toEqual(order);
    expect(order).not.toEqual(ids(quiz.questions));
  });

  it('takes the first questions in pool order when the quiz is not shuffled', () => {
    const quiz = makeQuiz(pool(6), { questionsPerRound: 3 });
    const round = new QuizRound(quiz, { random: seededRandom(9) });
    expect(ids(round.questions)).toEqual(['q1', 'q2', 'q3']);
    expect(ids(round.options)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('shuffles choice options per question but never swaps true and false', () => {
    const questions = [...Array.from({ length: 6 }, (_, i) => trueFalse(`tf${i}`, 'true')), ...pool(6)];
    const round = new QuizRound(makeQuiz(questions, { shuffle: true }), { random: seededRandom(5) });
    const choiceOrders: string[][] = [];
    while (round.phase !== 'finished') {
      const question = round.current!;
      const shown = ids(round.options);
      expect(ids(round.options)).toEqual(shown); // stable while the question is on screen
      expect([...shown].sort()).toEqual(ids(question.options).sort());
      if (question.kind === 'truefalse') expect(shown).toEqual(['true', 'false']);
      else choiceOrders.push(shown);
      round.toggle(question.answer[0]!);
      round.next();
    }
    expect(choiceOrders.some((order) => order.join() !== 'a,b,c,d')).toBe(true);
  });
});

describe('QuizRound answering', () => {
  it('answers a single-choice or true/false question with one tap', () => {
    const round = new QuizRound(makeQuiz([single('s', 'c'), trueFalse('t', 'false')]));
    round.toggle('c');
    expect(round.phase).toBe('feedback');
    expect(round.answers).toEqual([{ questionId: 's', chosen: ['c'], correct: true, ms: expect.any(Number) }]);
    round.next();
    round.toggle('true');
    expect(round.phase).toBe('feedback');
    expect(round.answers[1]).toMatchObject({ questionId: 't', chosen: ['true'], correct: false });
  });

  it('waits for submit on a multiple-choice question and wants exactly the right set', () => {
    const round = new QuizRound(makeQuiz([multiple('m1', ['a', 'c']), multiple('m2', ['a', 'c']), multiple('m3', ['a', 'c'])]));
    expect(round.submit()).toBeNull(); // nothing ticked yet
    round.toggle('c');
    round.toggle('b');
    round.toggle('b'); // ticking again unticks
    round.toggle('a');
    expect(round.selected).toEqual(['c', 'a']);
    expect(round.phase).toBe('answering');
    expect(round.submit()).toMatchObject({ questionId: 'm1', chosen: ['a', 'c'], correct: true });
    round.next();
    round.toggle('a');
    expect(round.submit()?.correct).toBe(false); // too few
    round.next();
    for (const id of ['a', 'b', 'c']) round.toggle(id);
    expect(round.submit()?.correct).toBe(false); // too many
  });

  it('ignores an option the current question does not have', () => {
    const round = new QuizRound(makeQuiz([single('s')]));
    round.toggle('z');
    expect(round.selected).toEqual([]);
    expect(round.phase).toBe('answering');
  });

  it('times each question from when it is shown, not counting the feedback', () => {
    let clock = 1_000;
    const round = new QuizRound(makeQuiz([single('s1'), multiple('m', ['a'])]), { now: () => clock });
    clock = 3_500.4;
    round.toggle('b');
    expect(round.answers[0]?.ms).toBe(2_500);
    clock = 20_000; // reading the explanation
    round.next();
    clock = 20_750;
    round.toggle('a');
    clock = 21_200;
    expect(round.submit()?.ms).toBe(1_200);
  });

  it('goes from feedback to the next question, then to finished', () => {
    const round = new QuizRound(makeQuiz([single('s1'), single('s2')]));
    expect(round.current?.id).toBe('s1');
    round.toggle('a');
    expect(round.isCorrectOption('b')).toBe(true);
    expect(round.isCorrectOption('a')).toBe(false);
    round.next();
    expect(round).toMatchObject({ index: 1, phase: 'answering', selected: [] });
    expect(round.current?.id).toBe('s2');
    round.toggle('b');
    round.next();
    expect(round.phase).toBe('finished');
    expect(round.index).toBe(2);
    expect(round.current).toBeNull();
    expect(round.options).toEqual([]);
    expect(round.isCorrectOption('b')).toBe(false);
  });

  it('ignores actions in the wrong phase, so nothing is answered twice', () => {
    const round = new QuizRound(makeQuiz([single('s1'), multiple('m', ['a'])]));
    round.next(); // still answering
    expect(round.index).toBe(0);
    round.toggle('a');
    round.toggle('b'); // a second tap during feedback
    expect(round.submit()).toBeNull();
    expect(round.answers).toHaveLength(1);
    expect(round.answers[0]?.chosen).toEqual(['a']);
    round.next();
    round.toggle('a');
    round.submit();
    round.next();
    round.next(); // already finished
    round.toggle('a');
    expect(round.submit()).toBeNull();
    expect(round.answers).toHaveLength(2);
    expect(round.index).toBe(2);
  });
});

describe('QuizRound results', () => {
  it('passes at exactly passPercent and lands in the upper band', () => {
    const round = new QuizRound(makeQuiz(pool(5)));
    play(round, 3);
    expect(round).toMatchObject({ score: 3, percent: 60, passed: true });
    expect(round.band?.text.en).toBe('Well done');
  });

  it('fails just below passPercent and lands in the lower band', () => {
    const round = new QuizRound(makeQuiz(pool(22)));
    play(round, 13); // 59.09 %
    expect(round).toMatchObject({ score: 13, percent: 59, passed: false });
    expect(round.band?.text.en).toBe('Keep going');
  });

  it('rounds the percentage and covers 0 and 100', () => {
    const thirds = new QuizRound(makeQuiz(pool(3)));
    play(thirds, 2);
    expect(thirds.percent).toBe(67);
    const none = new QuizRound(makeQuiz(pool(4)));
    play(none, 0);
    expect(none).toMatchObject({ score: 0, percent: 0, passed: false });
    expect(none.band?.from).toBe(0);
    const all = new QuizRound(makeQuiz(pool(4)));
    play(all, 4);
    expect(all).toMatchObject({ score: 4, percent: 100, passed: true });
    expect(all.band?.to).toBe(100);
  });

  it('has no band when the results leave the percentage out', () => {
    const round = new QuizRound(makeQuiz(pool(2), { results: [{ from: 60, to: 100, text: text('Well done') }] }));
    play(round, 0);
    expect(round.band).toBeNull();
  });

  it('lists the missed questions with what the visitor chose', () => {
    const questions = [single('s1', 'a'), multiple('m', ['a', 'b']), trueFalse('t', 'true')];
    const round = new QuizRound(makeQuiz(questions));
    round.toggle('a');
    round.next();
    round.toggle('a');
    round.submit();
    round.next();
    round.toggle('false');
    round.next();
    expect(round.missed).toEqual([
      { question: questions[1], chosen: ['a'] },
      { question: questions[2], chosen: ['false'] },
    ]);
  });
});

describe('QuizRound with the bundled pack', () => {
  const pack = packManifestSchema.parse(JSON.parse(readFileSync(join(BUNDLED_PACK, 'pack.json'), 'utf8')));
  const quizzes = pack.activities.filter((activity): activity is QuizActivity => activity.type === 'quiz');

  it('scores a round answered correctly as 100 % and passed', () => {
    expect(quizzes.length).toBeGreaterThan(0);
    for (const quiz of quizzes) {
      const round = new QuizRound(quiz, { random: seededRandom(1) });
      expect(round.questions).toHaveLength(Math.min(quiz.questionsPerRound, quiz.questions.length));
      play(round, round.questions.length);
      expect(round.answers.every((answer) => answer.correct)).toBe(true);
      expect(round).toMatchObject({ percent: 100, passed: true, missed: [] });
      expect(round.band).not.toBeNull();
    }
  });
});

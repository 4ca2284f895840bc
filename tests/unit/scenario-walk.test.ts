import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packManifestSchema, type ScenarioActivity } from '../../electron/common/pack-schema';
import { ScenarioWalk } from '../../renderer/src/state/scenario-walk.svelte';
import { BUNDLED_PACK } from '../helpers/paths';

const text = (en: string) => ({ en });
const choice = (id: string, next: string, safe: boolean) => ({ id, label: text(id), next, feedback: text(`after ${id}`), safe });

/**
 * door: open → hall, ignore → door (a loop), run → lost (unsafe ending)
 * hall: call → home (safe ending), wander → lost
 */
const SCENARIO: ScenarioActivity = {
  id: 'knock',
  type: 'scenario',
  title: text('A knock at the door'),
  intro: text('Someone knocks.'),
  start: 'door',
  nodes: [
    { id: 'door', text: text('At the door'), choices: [choice('open', 'hall', true), choice('ignore', 'door', false), choice('run', 'lost', false)] },
    { id: 'hall', text: text('In the hall'), choices: [choice('call', 'home', true), choice('wander', 'lost', false)] },
  ],
  endings: [
    { id: 'home', title: text('Home'), text: text('Safe at home'), outcome: 'safe' },
    { id: 'lost', title: text('Lost'), text: text('Lost at night'), outcome: 'unsafe' },
  ],
};

function step(walk: ScenarioWalk, choiceId: string): void {
  expect(walk.choose(choiceId)?.id).toBe(choiceId);
  walk.proceed();
}

describe('ScenarioWalk', () => {
  it('starts at the intro and begins at the start node', () => {
    const walk = new ScenarioWalk(SCENARIO);
    expect(walk).toMatchObject({ phase: 'intro', node: null, ending: null, lastChoice: null, path: [] });
    walk.begin();
    expect(walk.phase).toBe('node');
    expect(walk.node?.id).toBe('door');
  });

  it('shows feedback on the choice before moving on, and keeps the node meanwhile', () => {
    const walk = new ScenarioWalk(SCENARIO);
    walk.begin();
    const made = walk.choose('open');
    expect(made?.feedback.en).toBe('after open');
    expect(walk).toMatchObject({ phase: 'feedback', lastChoice: made });
    expect(walk.node?.id).toBe('door');
    walk.proceed();
    expect(walk.phase).toBe('node');
    expect(walk.node?.id).toBe('hall');
  });

  it('follows a loop back, then reaches the safe ending with a recap of the path', () => {
    const walk = new ScenarioWalk(SCENARIO);
    walk.begin();
    step(walk, 'ignore');
    expect(walk.node?.id).toBe('door');
    step(walk, 'open');
    step(walk, 'call');
    expect(walk.phase).toBe('ending');
    expect(walk.node).toBeNull();
    expect(walk.ending).toMatchObject({ id: 'home', outcome: 'safe' });
    expect(walk.path).toEqual([
      { nodeId: 'door', choiceId: 'ignore', safe: false },
      { nodeId: 'door', choiceId: 'open', safe: true },
      { nodeId: 'hall', choiceId: 'call', safe: true },
    ]);
    expect(walk.safeChoices).toBe(2);
    expect(walk.unsafeChoices).toBe(1);
  });

  it('reaches the unsafe ending straight from the start', () => {
    const walk = new ScenarioWalk(SCENARIO);
    walk.begin();
    step(walk, 'run');
    expect(walk.ending).toMatchObject({ id: 'lost', outcome: 'unsafe' });
    expect(walk).toMatchObject({ safeChoices: 0, unsafeChoices: 1 });
  });

  it('ignores a choice the current node does not offer', () => {
    const walk = new ScenarioWalk(SCENARIO);
    walk.begin();
    expect(walk.choose('nope')).toBeNull();
    expect(walk.choose('call')).toBeNull(); // a choice of another node
    expect(walk).toMatchObject({ phase: 'node', path: [], lastChoice: null });
  });

  it('chooses only at a node and proceeds only from feedback', () => {
    const walk = new ScenarioWalk(SCENARIO);
    expect(walk.choose('open')).toBeNull(); // still at the intro
    walk.proceed();
    expect(walk.phase).toBe('intro');
    walk.begin();
    walk.proceed(); // no choice made yet
    expect(walk.node?.id).toBe('door');
    walk.choose('ignore');
    expect(walk.choose('open')).toBeNull(); // a second tap during feedback
    walk.begin(); // already begun
    expect(walk.phase).toBe('feedback');
    walk.proceed();
    step(walk, 'run');
    expect(walk.choose('open')).toBeNull(); // at the ending
    walk.proceed();
    expect(walk.phase).toBe('ending');
    expect(walk.path.map((s) => s.choiceId)).toEqual(['ignore', 'run']);
  });

  it('restarts at the intro with an empty path', () => {
    const walk = new ScenarioWalk(SCENARIO);
    walk.begin();
    step(walk, 'open');
    step(walk, 'wander');
    walk.restart();
    expect(walk).toMatchObject({ phase: 'intro', node: null, ending: null, lastChoice: null, path: [], safeChoices: 0, unsafeChoices: 0 });
    walk.begin();
    step(walk, 'open');
    step(walk, 'call');
    expect(walk.ending?.id).toBe('home');
    expect(walk.path).toHaveLength(2);
  });
});

describe('ScenarioWalk with the bundled pack', () => {
  const pack = packManifestSchema.parse(JSON.parse(readFileSync(join(BUNDLED_PACK, 'pack.json'), 'utf8')));
  const scenarios = pack.activities.filter((activity): activity is ScenarioActivity => activity.type === 'scenario');

  it.each(scenarios.map((scenario) => [scenario.id, scenario] as const))('%s ends when always taking the first choice', (_, scenario) => {
    const walk = new ScenarioWalk(scenario);
    walk.begin();
    for (let steps = 0; steps < 50 && walk.phase === 'node'; steps++) {
      const first = walk.node!.choices[0]!;
      expect(walk.choose(first.id)).toBe(first);
      walk.proceed();
    }
    expect(walk.phase).toBe('ending');
    expect(walk.ending).not.toBeNull();
    expect(walk.path.length).toBeGreaterThan(0);
  });

  it('finds scenarios in the pack', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });
});

import type { ScenarioActivity } from '../../../electron/common/pack-schema';

export type ScenarioNode = ScenarioActivity['nodes'][number];
export type ScenarioChoice = ScenarioNode['choices'][number];
export type ScenarioEnding = ScenarioActivity['endings'][number];
export interface ScenarioStep {
  nodeId: string;
  choiceId: string;
  safe: boolean;
}

/**
 * One visitor's path through a branching scenario: intro, then node → feedback on the choice →
 * the next node, until a choice leads to an ending. Loops back to earlier nodes are allowed.
 */
export class ScenarioWalk {
  phase = $state<'intro' | 'node' | 'feedback' | 'ending'>('intro');

  readonly #scenario: ScenarioActivity;
  #nodeId = $state<string | null>(null);
  #endingId = $state<string | null>(null);
  #lastChoice = $state.raw<ScenarioChoice | null>(null);
  #path = $state.raw<ScenarioStep[]>([]);

  // `.by` because the scenario is only set in the constructor, after the field initialisers.
  readonly node = $derived.by(() => this.#scenario.nodes.find((node) => node.id === this.#nodeId) ?? null);
  readonly ending = $derived.by(() => this.#scenario.endings.find((ending) => ending.id === this.#endingId) ?? null);
  readonly safeChoices = $derived(this.#path.filter((step) => step.safe).length);
  readonly unsafeChoices = $derived(this.#path.length - this.safeChoices);

  constructor(scenario: ScenarioActivity) {
    this.#scenario = scenario;
  }

  get lastChoice(): ScenarioChoice | null {
    return this.#lastChoice;
  }

  get path(): ScenarioStep[] {
    return this.#path;
  }

  begin(): void {
    if (this.phase !== 'intro') return;
    this.#nodeId = this.#scenario.start;
    this.phase = 'node';
  }

  choose(choiceId: string): ScenarioChoice | null {
    const node = this.node;
    if (this.phase !== 'node' || !node) return null;
    const choice = node.choices.find((candidate) => candidate.id === choiceId);
    if (!choice) return null;
    this.#path = [...this.#path, { nodeId: node.id, choiceId: choice.id, safe: choice.safe }];
    this.#lastChoice = choice;
    this.phase = 'feedback';
    return choice;
  }

  proceed(): void {
    const choice = this.#lastChoice;
    if (this.phase !== 'feedback' || !choice) return;
    // The validator guarantees every `next` names a node or an ending; nodes win a name clash.
    if (this.#scenario.nodes.some((node) => node.id === choice.next)) {
      this.#nodeId = choice.next;
      this.phase = 'node';
    } else if (this.#scenario.endings.some((ending) => ending.id === choice.next)) {
      this.#nodeId = null;
      this.#endingId = choice.next;
      this.phase = 'ending';
    }
  }

  restart(): void {
    this.#nodeId = null;
    this.#endingId = null;
    this.#lastChoice = null;
    this.#path = [];
    this.phase = 'intro';
  }
}

import type { ScenarioActivity } from '../../../common/pack-schema';
import { reportDuplicates } from './check-ids';
import type { IssueList, JsonPath } from './pack-issue';

/**
 * A scenario is a graph from `start` through nodes to endings. Visitors must be able to reach every node,
 * and from every node they must still be able to reach an ending: a loop is fine, a trap is not.
 */
export function checkScenario(scenario: ScenarioActivity, base: JsonPath, issues: IssueList): void {
  reportDuplicates(scenario.nodes, [...base, 'nodes'], issues);
  reportDuplicates(scenario.endings, [...base, 'endings'], issues);
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
  const endings = new Set(scenario.endings.map((e) => e.id));
  scenario.endings.forEach((ending, i) => {
    if (nodes.has(ending.id)) issues.error('scenario-id-clash', [...base, 'endings', i, 'id'], { id: ending.id });
  });

  scenario.nodes.forEach((node, n) =>
    node.choices.forEach((choice, c) => {
      if (!nodes.has(choice.next) && !endings.has(choice.next)) {
        issues.error('scenario-next-missing', [...base, 'nodes', n, 'choices', c, 'next'], { id: choice.next });
      }
    }),
  );
  reportDuplicatesPerNode(scenario, base, issues);

  if (endings.has(scenario.start)) return issues.error('scenario-start-is-ending', [...base, 'start'], { id: scenario.start });
  if (!nodes.has(scenario.start)) return issues.error('scenario-start-missing', [...base, 'start'], { id: scenario.start });

  // Forward: what the visitor can reach from the start.
  const reached = new Set<string>([scenario.start]);
  const queue = [scenario.start];
  while (queue.length > 0) {
    for (const choice of nodes.get(queue.shift()!)?.choices ?? []) {
      if (!reached.has(choice.next)) {
        reached.add(choice.next);
        if (nodes.has(choice.next)) queue.push(choice.next);
      }
    }
  }
  scenario.nodes.forEach((node, n) => {
    if (!reached.has(node.id)) issues.error('scenario-node-unreachable', [...base, 'nodes', n, 'id'], { id: node.id });
  });
  scenario.endings.forEach((ending, i) => {
    if (!reached.has(ending.id)) issues.warning('scenario-ending-unreachable', [...base, 'endings', i, 'id'], { id: ending.id });
  });

  // Backward: the nodes from which some ending can still be reached; a reachable node outside it is a trap.
  const canFinish = new Set<string>(endings);
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of scenario.nodes) {
      if (!canFinish.has(node.id) && node.choices.some((c) => canFinish.has(c.next))) {
        canFinish.add(node.id);
        changed = true;
      }
    }
  }
  scenario.nodes.forEach((node, n) => {
    if (reached.has(node.id) && !canFinish.has(node.id)) issues.error('scenario-no-way-out', [...base, 'nodes', n, 'id'], { id: node.id });
  });

  const outcomes = new Set(scenario.endings.map((e) => e.outcome));
  if (!outcomes.has('safe') || !outcomes.has('unsafe')) issues.warning('scenario-no-outcomes', [...base, 'endings']);
}

function reportDuplicatesPerNode(scenario: ScenarioActivity, base: JsonPath, issues: IssueList): void {
  scenario.nodes.forEach((node, n) => reportDuplicates(node.choices, [...base, 'nodes', n, 'choices'], issues));
}

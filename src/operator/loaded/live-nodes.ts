import type { NodeReports } from './node-reports.ts';

/**
 * On how many nodes a rule set's current content is loaded: nodes whose Falco, under any of the
 * given monitors, reports a bundle file of this rule set (`<position>-<name>.yaml`) with the
 * rule set's sha256. A node counts once however many monitors load it. Pure over the readings.
 */
export function liveNodes(reports: NodeReports, namespace: string, monitors: readonly string[], ruleSet: string, contentHash: string): number {
  const sha = contentHash.replace(/^sha256:/, '');
  const file = new RegExp(`^\\d+-${ruleSet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.yaml$`);
  const nodes = new Set<string>();
  for (const monitor of monitors) {
    for (const reading of reports.get(`${namespace}/${monitor}`)?.values() ?? []) {
      if (reading.report === undefined || reading.failures >= 2) continue;
      for (const [name, loaded] of reading.report.rulesFiles) {
        if (loaded === sha && file.test(name)) nodes.add(reading.node);
      }
    }
  }
  return nodes.size;
}

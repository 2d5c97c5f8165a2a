import { assertionNames } from '../api/index.ts';
import { planStack, type PlanTreeNode } from '../plan/plan.ts';
import type { CompiledStack } from '../stack/compile.ts';
import { renderLogTail } from '../targets/failure-logs.ts';
import type { DestroyReport, ResourceReport, StackReport, VolumeReport } from '../targets/target.ts';

const firstLine = (text: string) => text.split('\n')[0] ?? '';

/** After apply: what is Ready, and for what is not, why (the full message, log lines included). */
export function renderApplySummary(report: StackReport): string {
  const ready = report.resources.filter((r) => r.ready).length;
  const lines = [''];
  const head = `${ready}/${report.resources.length} resources Ready in namespace "${report.namespace}" on ${report.target} after ${(report.elapsedMs / 1000).toFixed(2)}s`;
  lines.push(report.ready ? `✓ ${head}` : `✗ ${head}${report.timedOut ? ' (timed out)' : ''}`);
  for (const r of report.resources.filter((x) => !x.ready)) lines.push(`  ✗ ${r.name}: ${r.reason}: ${r.message}`, ...renderLogTail(r.logTail));
  if (report.orphans.length) lines.push(`  removed (no longer in the stack): ${report.orphans.join(', ')}`);
  lines.push(...keptVolumeLines(report.keptVolumes ?? []));
  return `${lines.join('\n')}\n`;
}

/** Data that nothing mounts any more is kept; say where, and how to remove it. */
function keptVolumeLines(kept: readonly VolumeReport[]): string[] {
  return kept.map((v) => `  data kept: ${v.resource} volume "${v.volume}" is no longer mounted; its data stays in ${v.where} (remove it with \`${v.removeWith}\`)`);
}

/**
 * `clockwork status`: the composite tree with readiness and assertions; with `conditions`, every
 * condition's reason and full message under each node (nothing truncated).
 */
export function renderStatus(report: StackReport, stack: CompiledStack | undefined, options: { conditions?: boolean } = {}): string {
  const byName = new Map(report.resources.map((r) => [r.name, r]));
  const composites = new Map(report.composites.map((c) => [c.name, c]));
  const ready = report.resources.filter((r) => r.ready).length;
  const lines = [`Namespace "${report.namespace}" on ${report.target}: ${ready}/${report.resources.length} Resources Ready`, ''];
  const walk = (nodes: PlanTreeNode[], prefix: string, top: boolean) =>
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const branch = top ? '  ' : `${prefix}${last ? '└── ' : '├── '}`;
      if (node.kind === 'Composite') {
        const c = composites.get(node.name);
        lines.push(`${branch}${node.name} (composite)  ${c?.ready ? '✓' : '✗'} ${c ? `${c.readyCount}/${c.totalCount} Ready` : ''}`);
        if (options.conditions) conditionLines(c?.conditions, `${top ? '  ' : `${prefix}${last ? '    ' : '│   '}`}│ `);
        walk(node.children ?? [], top ? '  ' : `${prefix}${last ? '    ' : '│   '}`, false);
        return;
      }
      const r = byName.get(node.name)!;
      const workload = r.workload ? `  [${r.workload.name} ${r.workload.state}]` : '';
      const assertions = r.assertions.length || r.assertionsSummary !== '0/0' ? `  assertions ${r.assertionsSummary}` : '';
      const restarts = r.restarts ? `  restarts ${r.restarts}` : '';
      lines.push(`${branch}${node.name}  ${r.ready ? '✓' : '✗'} ${r.reason}${assertions}${restarts}${workload}${r.ready || options.conditions ? '' : ` — ${firstLine(r.message)}`}`);
      if (options.conditions) conditionLines(r.conditions, `${top ? '  ' : `${prefix}${last ? '    ' : '│   '}`}  `);
    });
  const conditionLines = (conditions: ResourceReport['conditions'], indent: string) => {
    for (const c of conditions ?? []) lines.push(`${indent}${c.type}=${c.status} ${c.reason}: ${c.message.replace(/\n/g, `\n${indent}  `)}`);
  };
  walk(stack ? planStack(stack).tree : reportTree(report), '', true);
  if (report.orphans.length) lines.push('', `${stack ? 'Not in the stack (removed by the next apply)' : 'Containers that recorded no Resource (made by hand or by an older Clockwork)'}: ${report.orphans.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The composite tree of a report read from a target without a stack file: top-level Resources
 * (in the report's start order), then top-level Composites, each with its members.
 */
export function reportTree(report: StackReport): PlanTreeNode[] {
  const known = new Set(report.composites.map((c) => c.name));
  const placed = new Set<string>();
  const childrenOf = (composite: string | undefined): PlanTreeNode[] => [
    ...report.resources.filter((r) => inside(r.composite, composite)).map((r): PlanTreeNode => ({ kind: 'Resource', name: r.name })),
    // Each Composite once, even if raw YAML nests Composites in a loop.
    ...report.composites.filter((c) => inside(c.composite, composite) && !placed.has(c.name) && placed.add(c.name)).map((c): PlanTreeNode => ({ kind: 'Composite', name: c.name, children: childrenOf(c.name) })),
  ];
  // A member whose Composite is gone is shown at the top, not lost.
  const inside = (parent: string | undefined, composite: string | undefined) => (composite === undefined ? parent === undefined || !known.has(parent) : parent === composite);
  const roots = childrenOf(undefined);
  for (const c of report.composites) if (!placed.has(c.name) && placed.add(c.name)) roots.push({ kind: 'Composite', name: c.name, children: childrenOf(c.name) });
  return roots;
}

/** `clockwork status --all`: every namespace's tree, or a line saying there is nothing. */
export function renderStatusAll(reports: readonly StackReport[], scope: { namespace?: string | undefined; target: string }): string {
  if (reports.length === 0) return `No Clockwork Resources ${scope.namespace === undefined ? 'in any namespace' : `in namespace "${scope.namespace}"`} on ${scope.target}.\n`;
  return reports.map((report) => renderStatus(report, undefined, { conditions: true })).join('\n');
}

export interface AssertionTally {
  passed: number;
  failed: number;
}

/** `clockwork assert`: a table per resource (✓/✗, name, message, duration) and a summary line. */
export function renderAssertions(report: StackReport, stack: CompiledStack): { text: string; tally: AssertionTally } {
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const compiled of stack.resources) {
    const specs = compiled.spec.assertions ?? [];
    if (specs.length === 0) continue;
    const r = report.resources.find((x) => x.name === compiled.name)!;
    const names = assertionNames(specs);
    const rows = specs.map((_spec, i) => {
      const name = names[i]!;
      const result = r.assertions.find((a) => a.name === name);
      if (result?.passed) passed++;
      else failed++;
      return [result?.passed ? '✓' : '✗', name, result ? result.message : notChecked(r), result?.durationMs !== undefined ? `${result.durationMs} ms` : '-'];
    });
    const width = Math.max(...rows.map((row) => row[1]!.length));
    lines.push(`${compiled.name}`);
    for (const row of rows) lines.push(`  ${row[0]} ${row[1]!.padEnd(width)}  ${firstLine(row[2]!)}  (${row[3]})`);
    lines.push('');
  }
  const total = passed + failed;
  lines.push(total === 0 ? 'No assertions declared.' : `${failed === 0 ? '✓' : '✗'} ${passed}/${total} assertions passed${failed ? `, ${failed} failed` : ''}`);
  return { text: `${lines.join('\n')}\n`, tally: { passed, failed } };
}

function notChecked(r: ResourceReport): string {
  return `not checked: ${r.reason}: ${firstLine(r.message)}`;
}

export function renderDestroy(report: DestroyReport, file?: string): string {
  const count = report.removed.flat().length;
  const volumes = report.volumesRemoved.length;
  const lines: string[] = [];
  if (count === 0 && !report.networkRemoved && volumes === 0) lines.push(`Nothing to destroy in namespace "${report.namespace}" on ${report.target}.`);
  else {
    const what = report.target === 'docker' ? `container${count === 1 ? '' : 's'}` : `object${count === 1 ? '' : 's'}`;
    lines.push(`Destroyed ${count} ${what}${report.networkRemoved ? ' and the network' : ''}${volumes ? `, and ${volumes} volume${volumes === 1 ? ' with its' : 's with their'} data` : ''} of namespace "${report.namespace}" on ${report.target}.`);
  }
  const kept = report.volumesKept;
  if (kept.length) {
    lines.push(`Kept ${kept.length} volume${kept.length === 1 ? ' and its' : 's and their'} data (the next apply uses ${kept.length === 1 ? 'it' : 'them'} again): ${kept.map((v) => `${v.resource}/${v.volume} in ${v.where}`).join(', ')}.`);
    lines.push(`  Remove ${kept.length === 1 ? 'it' : 'them'} with \`clockwork destroy --volumes${file ? ` ${file}` : ''}\`, or one by one: ${kept.map((v) => `\`${v.removeWith}\``).join(', ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

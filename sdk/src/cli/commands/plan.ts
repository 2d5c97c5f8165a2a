import { planStack, type Plan, type PlanTreeNode } from '../../plan/plan.ts';
import type { TargetChoice } from '../../targets/select-target.ts';
import type { Target, VolumeReport } from '../../targets/target.ts';
import type { CompleteFileOptions } from '../../complete/complete-stack-file.ts';
import { compileStackFile } from '../compile-file.ts';
import type { ImageMapOptions } from '../image-map-option.ts';
import type { Output } from '../output.ts';

export interface PlanOptions extends CompleteFileOptions, ImageMapOptions {
  file: string;
  namespace?: string;
  output: 'text' | 'json';
  /** Also read this target: the volumes an apply would leave unmounted. Without it nothing is contacted. */
  target?: TargetChoice;
  context?: string;
  /** Injected in tests instead of selecting a target. */
  openTarget?: () => Promise<Target>;
}

/** What an apply would do with volumes nothing mounts any more, as read from a target. */
export interface PlanVolumeChanges {
  target: string;
  kept: VolumeReport[];
  removed: VolumeReport[];
}

/**
 * `clockwork plan`: start waves, the composite tree and where each volume's data lives, without
 * touching any cluster — unless a target is named: then also which volumes an apply would leave
 * unmounted, and where their data is kept.
 */
export async function plan(options: PlanOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { ...options, report: io.err });
  const result = planStack(stack);
  let changes: PlanVolumeChanges | undefined;
  if (options.target || options.openTarget) {
    // Only then: the targets' modules load when a target is read.
    const { openTarget } = await import('../target-options.ts');
    const target = await openTarget({ file: options.file, target: options.target ?? 'auto', namespace: options.namespace, ...(options.context ? { context: options.context } : {}), ...(options.openTarget ? { openTarget: options.openTarget } : {}) });
    try {
      changes = { target: target.kind, ...(await target.volumeChanges(stack)) };
    } finally {
      await target.close();
    }
  }
  io.out(options.output === 'json' ? `${JSON.stringify(changes ? { ...result, volumeChanges: changes } : result, null, 2)}\n` : renderPlan(result, changes));
  return 0;
}

export function renderPlan(plan: Plan, changes?: PlanVolumeChanges): string {
  const count = plan.waves.flat().length;
  const lines = [`Plan for namespace "${plan.namespace}": ${count} resource${count === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}`, ''];
  lines.push('Waves (a wave starts when the one before is Ready; its members start in parallel):');
  plan.waves.forEach((wave, i) => lines.push(`  ${i + 1}. ${wave.join(', ')}`));
  lines.push('', 'Tree:');
  const walk = (nodes: PlanTreeNode[], prefix: string, top: boolean) =>
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const branch = top ? '  ' : `${prefix}${last ? '└── ' : '├── '}`;
      const deps = node.dependsOn?.length ? `  ← ${node.dependsOn.join(', ')}` : '';
      const completed = node.kind === 'Resource' ? plan.completed[node.name] : undefined;
      const marker = `${plan.tasks.includes(node.name) ? '  (task: runs once)' : ''}${completed?.length ? `  (${completed.join(', ')} from completion)` : ''}`;
      lines.push(`${branch}${node.name}${node.kind === 'Composite' ? ' (composite)' : ''}${deps}${marker}`);
      if (node.children) walk(node.children, top ? '  ' : `${prefix}${last ? '    ' : '│   '}`, false);
    });
  walk(plan.tree, '', true);
  if (plan.volumes.length) {
    lines.push('', 'Volumes (the data stays when a workload is replaced and on destroy; `destroy --volumes` removes it, and `retain: false` removes it with its Resource):');
    for (const v of plan.volumes)
      lines.push(`  ${v.resource}/${v.volume} at ${v.mountPath} (${v.size}${v.retain ? '' : ', retain: false'}): claim ${v.claim} on Kubernetes, docker volume ${v.dockerVolume} on Docker`);
    lines.push('  A volume that leaves the stack, or that its Resource stops mounting, is kept: apply says where its data stays.');
  }
  if (changes) {
    const none = changes.kept.length === 0 && changes.removed.length === 0;
    lines.push('', `On ${changes.target}: ${none ? 'every volume there is one the stack mounts.' : 'volumes the stack does not mount:'}`);
    for (const v of changes.kept) lines.push(`  ${v.resource}/${v.volume}: not mounted; its data is kept in ${v.where} (remove it with \`${v.removeWith}\`)`);
    for (const v of changes.removed) lines.push(`  ${v.resource}/${v.volume}: removed with its Resource (retain: false): ${v.where}`);
  }
  return `${lines.join('\n')}\n`;
}

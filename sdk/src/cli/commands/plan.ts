import { planStack, type Plan, type PlanTreeNode } from '../../plan/plan.ts';
import type { CompleteFileOptions } from '../../complete/complete-stack-file.ts';
import { compileStackFile } from '../compile-file.ts';
import type { ImageMapOptions } from '../image-map-option.ts';
import type { Output } from '../output.ts';

export interface PlanOptions extends CompleteFileOptions, ImageMapOptions {
  file: string;
  namespace?: string;
  output: 'text' | 'json';
}

/** `clockwork plan`: start waves and the composite tree, without touching any cluster. */
export async function plan(options: PlanOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { ...options, report: io.err });
  const result = planStack(stack);
  io.out(options.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderPlan(result));
  return 0;
}

export function renderPlan(plan: Plan): string {
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
      const marker = completed?.length ? `  (${completed.join(', ')} from completion)` : '';
      lines.push(`${branch}${node.name}${node.kind === 'Composite' ? ' (composite)' : ''}${deps}${marker}`);
      if (node.children) walk(node.children, top ? '  ' : `${prefix}${last ? '    ' : '│   '}`, false);
    });
  walk(plan.tree, '', true);
  return `${lines.join('\n')}\n`;
}

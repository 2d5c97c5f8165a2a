import { formatDependencyRef } from '../api/index.ts';
import type { CompiledStack } from '../stack/compile.ts';

export type GraphFormat = 'mermaid' | 'dot';

/** Node ids safe in both formats: `postgres-db` → `r_postgres_db`. */
const id = (kind: 'r' | 'c' | 'x', name: string) => `${kind}_${name.replace(/[^a-zA-Z0-9]/g, '_')}`;

/**
 * The dependency graph with composite boundaries drawn as subgraphs (clusters in dot). Edges go
 * from a dependent to what it depends on, as `a.connect(b)` reads; external dependencies are
 * drawn dashed.
 */
export function renderGraph(stack: CompiledStack, format: GraphFormat): string {
  const childrenOf = new Map(stack.composites.map((c) => [c.name, c.children]));
  const topResources = stack.resources.filter((r) => !r.composite).map((r) => r.name);
  const topComposites = stack.composites.filter((c) => !c.composite).map((c) => c.name);
  const edges: [string, string, boolean][] = [];
  for (const r of stack.resources) {
    for (const d of r.spec.dependsOn ?? []) edges.push([id('r', r.name), id('r', d), false]);
  }
  for (const node of [...stack.resources, ...stack.composites]) {
    const from = id(node.kind === 'Resource' ? 'r' : 'c', node.name);
    for (const ref of node.annotationDependencies) {
      const inStack = ref.namespace === undefined && (ref.kind === 'Resource' ? stack.resources.some((r) => r.name === ref.name) : childrenOf.has(ref.name));
      edges.push([from, inStack ? id(ref.kind === 'Resource' ? 'r' : 'c', ref.name) : id('x', formatDependencyRef(ref)), !inStack]);
    }
  }
  const externals = [...new Set(edges.filter(([, to]) => to.startsWith('x_')).map(([, to]) => to))];
  const externalLabel = new Map<string, string>();
  for (const node of [...stack.resources, ...stack.composites])
    for (const ref of node.annotationDependencies) externalLabel.set(id('x', formatDependencyRef(ref)), formatDependencyRef(ref));
  return format === 'mermaid' ? mermaid() : dot();

  function mermaid(): string {
    const lines = ['flowchart LR'];
    const composite = (name: string, indent: string): void => {
      lines.push(`${indent}subgraph ${id('c', name)}["${name} (composite)"]`);
      for (const child of childrenOf.get(name) ?? []) {
        if (child.kind === 'Composite') composite(child.name, `${indent}  `);
        else lines.push(`${indent}  ${id('r', child.name)}["${child.name}"]`);
      }
      lines.push(`${indent}end`);
    };
    for (const r of topResources) lines.push(`  ${id('r', r)}["${r}"]`);
    for (const c of topComposites) composite(c, '  ');
    for (const x of externals) lines.push(`  ${x}(["${externalLabel.get(x)} (external)"])`);
    for (const [from, to, dashed] of edges) lines.push(`  ${from} ${dashed ? '-.->' : '-->'} ${to}`);
    return `${lines.join('\n')}\n`;
  }

  function dot(): string {
    const lines = ['digraph clockwork {', '  rankdir=LR;', '  compound=true;', '  node [shape=box];'];
    const composite = (name: string, indent: string): void => {
      lines.push(`${indent}subgraph cluster_${id('c', name)} {`, `${indent}  label="${name}";`, `${indent}  ${id('c', name)} [shape=point, style=invis];`);
      for (const child of childrenOf.get(name) ?? []) {
        if (child.kind === 'Composite') composite(child.name, `${indent}  `);
        else lines.push(`${indent}  ${id('r', child.name)} [label="${child.name}"];`);
      }
      lines.push(`${indent}}`);
    };
    for (const r of topResources) lines.push(`  ${id('r', r)} [label="${r}"];`);
    for (const c of topComposites) composite(c, '  ');
    for (const x of externals) lines.push(`  ${x} [label="${externalLabel.get(x)}", style=dashed];`);
    for (const [from, to, dashed] of edges) {
      const attrs = [dashed ? 'style=dashed' : '', to.startsWith('c_') ? `lhead=cluster_${to}` : ''].filter(Boolean);
      lines.push(`  ${from} -> ${to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }
}

import { DEFAULT_VOLUME_SIZE, dockerVolumeName, formatDependencyRef, volumeClaimName, type DependencyRef } from '../api/index.ts';
import type { CompiledStack } from '../stack/compile.ts';

export interface PlanTreeNode {
  kind: 'Resource' | 'Composite';
  name: string;
  children?: PlanTreeNode[];
  /** For Resources: what it waits for (names in the stack, and external references). */
  dependsOn?: string[];
}

/** What `clockwork plan` reports: start waves, the composite tree, and external dependencies. */
export interface Plan {
  namespace: string;
  waves: string[][];
  tree: PlanTreeNode[];
  external: Record<string, DependencyRef[]>;
  /** Per Resource, the spec fields that came from AI completion (the lock file or a model). */
  completed: Record<string, string[]>;
  /** Resources that run once to completion (run: once). */
  tasks: string[];
  /** Every volume, and where its data lives on each target. */
  volumes: PlanVolume[];
}

/** A Resource's volume and where its data lives; kept across replacement and destroy. */
export interface PlanVolume {
  resource: string;
  volume: string;
  mountPath: string;
  size: string;
  retain: boolean;
  /** The PersistentVolumeClaim on Kubernetes. */
  claim: string;
  /** The named volume on Docker. */
  dockerVolume: string;
}

export function planStack(stack: CompiledStack): Plan {
  const composites = new Map(stack.composites.map((c) => [c.name, c]));
  const externalsOf = (name: string) => stack.externalDependencies.get(name) ?? [];
  const nodeFor = (kind: 'Resource' | 'Composite', name: string): PlanTreeNode => {
    if (kind === 'Resource') {
      const dependsOn = [...stack.graph.dependenciesOf(name), ...externalsOf(name).map((r) => formatDependencyRef(r))];
      return { kind, name, ...(dependsOn.length ? { dependsOn } : {}) };
    }
    return { kind, name, children: composites.get(name)!.children.map((c) => nodeFor(c.kind, c.name)) };
  };
  const roots: PlanTreeNode[] = [
    ...stack.resources.filter((r) => !r.composite).map((r) => nodeFor('Resource', r.name)),
    ...stack.composites.filter((c) => !c.composite).map((c) => nodeFor('Composite', c.name)),
  ];
  const external: Record<string, DependencyRef[]> = {};
  for (const [name, refs] of stack.externalDependencies) if (refs.length) external[name] = [...refs];
  const completed: Record<string, string[]> = {};
  for (const r of stack.resources) if (r.completed?.length) completed[r.name] = [...r.completed];
  const tasks = stack.resources.filter((r) => r.spec.run === 'once').map((r) => r.name);
  const volumes = stack.resources.flatMap((r) =>
    (r.spec.volumes ?? []).map(
      (v): PlanVolume => ({
        resource: r.name,
        volume: v.name,
        mountPath: v.mountPath,
        size: v.size ?? DEFAULT_VOLUME_SIZE,
        retain: v.retain ?? true,
        claim: volumeClaimName(r.name, v.name),
        dockerVolume: dockerVolumeName(stack.namespace, r.name, v.name),
      }),
    ),
  );
  return { namespace: stack.namespace, waves: stack.graph.waves().map((w) => [...w]), tree: roots, external, completed, tasks, volumes };
}

import { DependencyModel } from '../graph/index.ts';
import type { CompiledStack } from '../stack/compile.ts';
import { UsageError } from '../api/index.ts';

/**
 * The Resources that names given on the command line stand for, in stack order: a Resource's
 * name means it, a Composite's every Resource below it, no name the whole stack.
 * @throws UsageError naming what the stack has when a name matches nothing.
 */
export function selectResources(stack: CompiledStack, names: readonly string[], file: string): string[] {
  if (names.length === 0) return stack.resources.map((r) => r.name);
  const chosen = new Set<string>();
  // Membership only: what a Composite stands for.
  const compositeKey = (name: string | undefined) => name && `composite:${name}`;
  const model = DependencyModel.of([
    ...stack.resources.map((r) => ({ key: r.name, kind: 'Resource' as const, parent: compositeKey(r.composite), dependsOn: [] })),
    ...stack.composites.map((c) => ({ key: compositeKey(c.name)!, kind: 'Composite' as const, parent: compositeKey(c.composite), dependsOn: [] })),
  ]);
  for (const name of names) {
    const resource = stack.resources.find((r) => r.name === name);
    const composite = stack.composites.find((c) => c.name === name);
    if (!resource && !composite) {
      const known = [...stack.resources.map((r) => r.name), ...stack.composites.map((c) => `${c.name} (composite)`)];
      throw new UsageError(`${file} has no Resource or Composite named "${name}" (it has: ${known.join(', ')})`);
    }
    if (resource) chosen.add(resource.name);
    if (composite) for (const r of model.expand(`composite:${composite.name}`).resources) chosen.add(r);
  }
  return stack.resources.map((r) => r.name).filter((n) => chosen.has(n));
}

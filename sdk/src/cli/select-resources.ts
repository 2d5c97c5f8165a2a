import type { CompiledStack } from '../stack/compile.ts';
import { UsageError } from './errors.ts';

/**
 * The Resources that names given on the command line stand for, in stack order: a Resource's
 * name means it, a Composite's every Resource below it, no name the whole stack.
 * @throws UsageError naming what the stack has when a name matches nothing.
 */
export function selectResources(stack: CompiledStack, names: readonly string[], file: string): string[] {
  if (names.length === 0) return stack.resources.map((r) => r.name);
  const chosen = new Set<string>();
  for (const name of names) {
    const resource = stack.resources.find((r) => r.name === name);
    const composite = stack.composites.find((c) => c.name === name);
    if (!resource && !composite) {
      const known = [...stack.resources.map((r) => r.name), ...stack.composites.map((c) => `${c.name} (composite)`)];
      throw new UsageError(`${file} has no Resource or Composite named "${name}" (it has: ${known.join(', ')})`);
    }
    if (resource) chosen.add(resource.name);
    if (composite) for (const r of stack.resources) if (r.path.split('/').slice(0, -1).includes(composite.name)) chosen.add(r.name);
  }
  return stack.resources.map((r) => r.name).filter((n) => chosen.has(n));
}

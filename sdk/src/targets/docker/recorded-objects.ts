import type { ClockworkObject } from '../../api/index.ts';

/**
 * What a container records about its Resource (label `clockwork.dev/objects`): the Resource and
 * the Composites it sits in, as applied (the Workload's `owner.objects`). `status --all` rebuilds
 * the stack from these alone, as `kubectl get` reads objects from the apiserver, so it needs no
 * stack file.
 */
export function recordObjects(objects: readonly ClockworkObject[]): string {
  return JSON.stringify(objects);
}

/** The objects a container recorded; none when the label is missing or not Clockwork's JSON. */
export function recordedObjects(label: string | undefined): ClockworkObject[] {
  if (!label) return [];
  try {
    const parsed: unknown = JSON.parse(label);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((o): o is ClockworkObject => isObject(o) && (o.kind === 'Resource' || o.kind === 'Composite') && isObject(o.metadata) && typeof o.metadata['name'] === 'string' && isObject(o.spec));
  } catch (error) {
    if (error instanceof SyntaxError) return [];
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { ClockworkObject, CompositeObject, ResourceObject } from '../../api/index.ts';
import type { StateView } from '../../engine/index.ts';

/**
 * What a container records about its Resource (label `clockwork.dev/objects`): the Resource and
 * the Composites it sits in, as applied. `status --all` rebuilds the stack from these alone,
 * as `kubectl get` reads objects from the apiserver, so it needs no stack file.
 */
export function recordObjects(resource: ResourceObject, view: StateView | undefined): string {
  const ancestors = view ? view.ancestorsOf(resource).reverse() : [];
  return JSON.stringify([...ancestors, resource].map(asApplied));
}

/** The objects a container recorded; none when the label is missing or not Clockwork's JSON. */
export function recordedObjects(label: string | undefined): ClockworkObject[] {
  if (!label) return [];
  try {
    const parsed: unknown = JSON.parse(label);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((o): o is ClockworkObject => isObject(o) && (o.kind === 'Resource' || o.kind === 'Composite') && isObject(o.metadata) && typeof o.metadata['name'] === 'string' && isObject(o.spec));
  } catch {
    return [];
  }
}

/** Without status or server-set metadata: what the stack said. */
function asApplied<T extends ResourceObject | CompositeObject>(object: T): T {
  const { name, namespace, labels, annotations } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: object.spec,
  } as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

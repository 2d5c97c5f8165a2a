import { ANNOTATION_DEPENDS_ON, parseDependsOnAnnotation, type DependencyRef, type ResourceObject, type CompositeObject } from '../api/index.ts';

/** A dependency with its namespace resolved: what a Resource waits for. */
export interface ResolvedRef {
  kind: 'Resource' | 'Composite';
  namespace: string;
  name: string;
}

export const refKey = (ref: ResolvedRef): string => `${ref.kind === 'Composite' ? 'composite:' : ''}${ref.namespace}/${ref.name}`;

/** The reference a `refKey` was made from. */
export function refOfKey(key: string): ResolvedRef {
  const composite = key.startsWith('composite:');
  const [namespace, name] = (composite ? key.slice('composite:'.length) : key).split('/');
  return { kind: composite ? 'Composite' : 'Resource', namespace: namespace!, name: name! };
}

/** The reference to a Resource itself. */
export function resourceRef(resource: ResourceObject): ResolvedRef {
  return { kind: 'Resource', namespace: resource.metadata.namespace ?? 'default', name: resource.metadata.name };
}

/**
 * Everything an object depends on directly: `spec.dependsOn` (same namespace) and the
 * `clockwork.dev/depends-on` annotation. Unparseable annotation entries come back as errors,
 * so that the caller can report them in a condition instead of dropping them.
 */
export function directDependencies(object: ResourceObject | CompositeObject): { refs: ResolvedRef[]; errors: string[] } {
  const namespace = object.metadata.namespace ?? 'default';
  const refs: ResolvedRef[] = [];
  if (object.kind === 'Resource') for (const name of object.spec.dependsOn ?? []) refs.push({ kind: 'Resource', namespace, name });
  const { refs: annotated, errors } = parseDependsOnAnnotation(object.metadata.annotations?.[ANNOTATION_DEPENDS_ON]);
  for (const r of annotated) refs.push(resolve(r, namespace));
  const unique = new Map(refs.map((r) => [refKey(r), r]));
  return { refs: [...unique.values()], errors: errors.map((e) => e.message) };
}

function resolve(ref: DependencyRef, namespace: string): ResolvedRef {
  return { kind: ref.kind, namespace: ref.namespace ?? namespace, name: ref.name };
}

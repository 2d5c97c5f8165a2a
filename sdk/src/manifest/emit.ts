import {
  ANNOTATION_DEPENDS_ON,
  API_VERSION,
  LABEL_COMPOSITE,
  LABEL_MANAGED_BY,
  MANAGED_BY,
  formatDependencyRef,
  type ClockworkObject,
  type CompositeObject,
  type ObjectMeta,
  type ResourceObject,
} from '../api/index.ts';
import type { CompiledNode, CompiledStack } from '../stack/compile.ts';

/**
 * The Kubernetes objects for a compiled stack, in a stable order: Composites (outermost first),
 * then Resources in start order. The same stack always gives the same objects, byte for byte.
 */
export function emitObjects(stack: CompiledStack): ClockworkObject[] {
  const composites: CompositeObject[] = stack.composites.map((c) => ({
    apiVersion: API_VERSION,
    kind: 'Composite',
    metadata: metadataFor(c, stack.namespace),
    spec: c.spec,
  }));
  const resources: ResourceObject[] = stack.resources.map((r) => ({
    apiVersion: API_VERSION,
    kind: 'Resource',
    metadata: metadataFor(r, stack.namespace),
    spec: r.spec,
  }));
  return [...composites, ...resources];
}

function metadataFor(node: CompiledNode, namespace: string): ObjectMeta {
  const labels: Record<string, string> = { ...sorted(node.labels), [LABEL_MANAGED_BY]: MANAGED_BY };
  if (node.composite) labels[LABEL_COMPOSITE] = node.composite;
  const annotations: Record<string, string> = sorted(node.annotations);
  if (node.annotationDependencies.length > 0)
    annotations[ANNOTATION_DEPENDS_ON] = node.annotationDependencies.map((d) => formatDependencyRef(d, namespace)).join(',');
  return {
    name: node.name,
    namespace,
    labels,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

import { GROUP, LABEL_COMPOSITE, LABEL_MANAGED_BY, LABEL_RESOURCE, MANAGED_BY } from '../../api/index.ts';

/** Labels that hold the Docker target's state: there is no state file. */
export const DOCKER_LABELS = {
  managedBy: LABEL_MANAGED_BY,
  namespace: `${GROUP}/namespace`,
  resource: LABEL_RESOURCE,
  composite: LABEL_COMPOSITE,
  specHash: `${GROUP}/spec-hash`,
  /** Comma-separated names of the Resources it waits for, so teardown can order orphans too. */
  dependsOn: `${GROUP}/depends-on`,
  /** The Resource and the Composites it sits in (JSON), so `status --all` needs no stack file. */
  objects: `${GROUP}/objects`,
} as const;

export { MANAGED_BY };

/** One user-defined bridge network per namespace. */
export const networkName = (namespace: string): string => `clockwork-${namespace}`;

/** Container names are unique per namespace; the labels say which Resource a container is. */
export const containerName = (namespace: string, name: string): string => `clockwork-${namespace}-${name}`;

/** Label filters selecting everything of a namespace, or of every namespace. */
export function namespaceFilter(namespace: string | undefined): string[] {
  return [`${DOCKER_LABELS.managedBy}=${MANAGED_BY}`, ...(namespace === undefined ? [] : [`${DOCKER_LABELS.namespace}=${namespace}`])];
}

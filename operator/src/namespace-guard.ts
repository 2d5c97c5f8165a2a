import type { Logger } from 'winston';
import { CONDITION_READY, type ClockworkObject, type Condition } from '../../sdk/src/api/index.ts';
import { condition } from '../../sdk/src/engine/index.ts';
import type { StatusWriter } from './status-writer.ts';

/** The cluster's own namespaces: the operator manages nothing there unless its installer says so. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;
export const REASON_NAMESPACE_NOT_MANAGED = 'NamespaceNotManaged';
export const MANAGE_SYSTEM_NAMESPACES_FLAG = '--manage-system-namespaces';

export interface NamespaceGuardOptions {
  /** Manage Resources in the system namespaces too (`--manage-system-namespaces`). */
  manageSystemNamespaces: boolean;
  status: StatusWriter;
  logger: Logger;
  now?: () => Date;
}

/**
 * Refuses the system namespaces (a Resource there would run next to the control plane's own
 * Pods with whatever names it chose): no child is created, no finalizer added; the object says
 * why in its Ready condition. Everything else passes.
 */
export class NamespaceGuard {
  readonly #o: NamespaceGuardOptions;

  constructor(options: NamespaceGuardOptions) {
    this.#o = options;
  }

  refuses(namespace: string): boolean {
    return !this.#o.manageSystemNamespaces && (SYSTEM_NAMESPACES as readonly string[]).includes(namespace);
  }

  /** Writes the refusal into the object's status (once: an equal status is not written again). */
  async report(object: ClockworkObject): Promise<void> {
    if (object.metadata.deletionTimestamp) return;
    const namespace = object.metadata.namespace ?? 'default';
    const generation = object.metadata.generation;
    const ready: Condition = condition(
      CONDITION_READY,
      { status: 'False', reason: REASON_NAMESPACE_NOT_MANAGED, message: `the operator does not manage ${object.kind}s in ${namespace}, a system namespace (its installer can allow it with ${MANAGE_SYSTEM_NAMESPACES_FLAG})` },
      { previous: object.status?.conditions, now: this.#o.now?.() ?? new Date(), ...(generation !== undefined ? { generation } : {}) },
    );
    if ((await this.#o.status.write(object, { ...(generation !== undefined ? { observedGeneration: generation } : {}), conditions: [ready] })).wrote)
      this.#o.logger.info('refused: system namespace', { object: `${object.kind} ${namespace}/${object.metadata.name}` });
  }
}

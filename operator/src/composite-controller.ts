import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import {
  API_VERSION,
  CONDITION_READY,
  GROUP,
  KIND_COMPOSITE,
  LABEL_COMPOSITE,
  PLURAL_COMPOSITE,
  PLURAL_RESOURCE,
  VERSION,
  type ClockworkObject,
  type CompositeObject,
  type CompositeStatus,
  type OwnerReference,
} from '../../sdk/src/api/index.ts';
import { evaluateComposite, readinessOf, type DescendantState, type ReconcileResult, type StateGraph } from '../../sdk/src/engine/index.ts';
import type { EventRecorder } from './events.ts';
import { isNotFound } from '../../sdk/src/kubernetes/index.ts';
import { FIELD_MANAGER, type CustomApi } from './kube-client.ts';
import type { StatusOutcome, StatusWriter } from './status-writer.ts';
import { teardownStep } from './teardown.ts';

export const FINALIZER_TEARDOWN = `${GROUP}/teardown`;

export interface CompositeControllerOptions {
  graph: StateGraph;
  custom: CustomApi;
  status: StatusWriter;
  events: EventRecorder;
  logger: Logger;
  now?: () => Date;
  /** Resources and Composites labelled into a Composite (`namespace`, `name`): an index. */
  membersOf: (namespace: string, name: string) => ClockworkObject[];
  /** Resources and Composites with an ownerReference to this uid: an index. */
  ownedBy: (uid: string) => ClockworkObject[];
  /** The API server's answer to a write of a Resource or Composite (the informer cache takes it). */
  onWritten?: (object: ClockworkObject & KubernetesObject) => void;
}

/**
 * Reconciles one Composite: keeps the teardown finalizer on it, adopts labelled children and
 * releases those that lost the label, rolls the descendants' readiness up into its status, and,
 * once it is being deleted, tears its descendants down in reverse dependency order.
 */
export class CompositeController {
  readonly #o: CompositeControllerOptions;

  constructor(options: CompositeControllerOptions) {
    this.#o = options;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    let composite = this.#o.graph.view.getComposite(namespace, name);
    if (!composite) return;
    if (composite.metadata.deletionTimestamp) return this.#teardown(composite);
    if (!composite.metadata.finalizers?.includes(FINALIZER_TEARDOWN)) composite = (await this.#apply(composite, 'teardown', { finalizers: [FINALIZER_TEARDOWN] })) as CompositeObject;
    await this.#adoptAndRelease(composite);
    const written = await this.#writeStatus(composite);
    return written.laterMs !== undefined ? { requeueAfterMs: written.laterMs } : undefined;
  }

  async #writeStatus(composite: CompositeObject): Promise<StatusOutcome> {
    const descendants: DescendantState[] = this.#o.graph.descendantsOf(composite).map((r) => ({ key: `${r.metadata.namespace ?? 'default'}/${r.metadata.name}`, ...readinessOf(r) }));
    descendants.sort((a, b) => a.key.localeCompare(b.key));
    const evaluation = evaluateComposite({ descendants, now: this.#o.now?.() ?? new Date(), ...(composite.status?.conditions ? { previous: composite.status.conditions } : {}), ...(composite.metadata.generation !== undefined ? { generation: composite.metadata.generation } : {}) });
    const status: CompositeStatus = {
      ...(composite.metadata.generation !== undefined ? { observedGeneration: composite.metadata.generation } : {}),
      conditions: evaluation.conditions,
      readySummary: `${evaluation.readyCount}/${evaluation.totalCount}`,
      readyCount: evaluation.readyCount,
      totalCount: evaluation.totalCount,
    };
    const before = composite.status?.conditions?.find((c) => c.type === CONDITION_READY);
    const written = await this.#o.status.write(composite, status);
    // One Event when it becomes Ready (a clean rollout's only one), a Warning when it stops being so.
    if (written.wrote && evaluation.ready !== (before?.status === 'True') && (evaluation.ready || before))
      await this.#o.events.record(composite, evaluation.ready ? { type: 'Normal', reason: 'Ready', message: evaluation.conditions[0]!.message } : { type: 'Warning', reason: 'NotReady', message: evaluation.conditions[0]!.message });
    return written;
  }

  /**
   * Members (labelled with this Composite) get its controller ownerReference, set once by
   * server-side apply: no resourceVersion to conflict with the member's own status writes, other
   * owners' entries kept. Objects created by `apply` or `deploy()` have it already; those from
   * `generate | kubectl apply` cannot (the Composite's uid is not known before it exists).
   * Objects that lost the label lose the reference.
   */
  async #adoptAndRelease(composite: CompositeObject): Promise<void> {
    const uid = composite.metadata.uid;
    if (!uid) return;
    const namespace = composite.metadata.namespace ?? 'default';
    const ours = (r: OwnerReference) => r.uid === uid;
    for (const member of this.#o.membersOf(namespace, composite.metadata.name)) {
      if (member.metadata.deletionTimestamp || (member.kind === 'Composite' && member.metadata.name === composite.metadata.name)) continue;
      if ((member.metadata.ownerReferences ?? []).some((r) => r.controller)) continue;
      const ref: OwnerReference = { apiVersion: API_VERSION, kind: KIND_COMPOSITE, name: composite.metadata.name, uid, controller: true, blockOwnerDeletion: true };
      await this.#apply(member, 'ownership', { ownerReferences: [ref] });
    }
    for (const owned of this.#o.ownedBy(uid)) {
      if (owned.metadata.deletionTimestamp || owned.metadata.labels?.[LABEL_COMPOSITE] === composite.metadata.name) continue;
      const refs = owned.metadata.ownerReferences ?? [];
      await this.#patch(owned, { metadata: { resourceVersion: owned.metadata.resourceVersion, ownerReferences: refs.filter((r) => !ours(r)) } });
      await this.#o.events.record(composite, { type: 'Normal', reason: 'Released', message: `released ${owned.kind} ${owned.metadata.name}: it no longer has the ${LABEL_COMPOSITE} label` });
    }
  }

  async #teardown(composite: CompositeObject): Promise<ReconcileResult> {
    if (!composite.metadata.finalizers?.includes(FINALIZER_TEARDOWN)) return;
    const step = teardownStep(composite, this.#o.graph);
    if (step.kind === 'done') {
      await this.#patch(composite, { metadata: { resourceVersion: composite.metadata.resourceVersion, finalizers: composite.metadata.finalizers.filter((f) => f !== FINALIZER_TEARDOWN) } });
      this.#o.logger.info('composite torn down', { composite: `${composite.metadata.namespace}/${composite.metadata.name}` });
      return;
    }
    const pending = step.objects.filter((o) => !o.metadata.deletionTimestamp);
    if (pending.length === 0) return; // the wave is going; the deletions' watch events bring the next pass
    const names = pending.map((o) => o.metadata.name).join(', ');
    this.#o.logger.info('tearing down', { composite: `${composite.metadata.namespace}/${composite.metadata.name}`, wave: names });
    await this.#o.events.record(composite, { type: 'Normal', reason: 'TearingDown', message: `deleting ${step.kind === 'resources' ? 'Resources' : 'Composites'}: ${names}` });
    for (const object of pending) await this.#delete(object);
  }

  /** A JSON merge patch (with the resourceVersion read, where the body carries it). */
  async #patch(object: ClockworkObject, body: object): Promise<void> {
    const written = await this.#o.custom.patchNamespacedCustomObject({ ...this.#ref(object), body });
    this.#written(object, written);
  }

  /**
   * Server-side apply of `metadata` fields as the operator's manager for `purpose` (the teardown
   * finalizer, the ownership of members): each purpose its own manager, since an apply drops the
   * fields its manager set before and leaves out now. Returns the object as it is now.
   */
  async #apply(object: ClockworkObject, purpose: 'teardown' | 'ownership', metadata: object): Promise<ClockworkObject> {
    const written = await this.#o.custom.applyNamespacedCustomObject({
      ...this.#ref(object),
      fieldManager: `${FIELD_MANAGER}-${purpose}`,
      body: { apiVersion: API_VERSION, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace ?? 'default', ...metadata } },
    });
    return this.#written(object, written) ?? object;
  }

  #written(object: ClockworkObject, answer: unknown): ClockworkObject | undefined {
    const written = answer as (ClockworkObject & KubernetesObject) | undefined;
    if (!written?.metadata) return undefined;
    const typed = { ...written, kind: object.kind } as ClockworkObject & KubernetesObject;
    this.#o.onWritten?.(typed);
    return typed;
  }

  #ref(object: ClockworkObject) {
    return { group: GROUP, version: VERSION, namespace: object.metadata.namespace ?? 'default', plural: object.kind === 'Resource' ? PLURAL_RESOURCE : PLURAL_COMPOSITE, name: object.metadata.name };
  }

  async #delete(object: ClockworkObject): Promise<void> {
    try {
      await this.#o.custom.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: object.metadata.namespace ?? 'default',
        plural: object.kind === 'Resource' ? PLURAL_RESOURCE : PLURAL_COMPOSITE,
        name: object.metadata.name,
        // Foreground: the Resource stays until its Pod, Service and ConfigMap are gone, so
        // "gone" means its workload is gone too before the next wave starts.
        propagationPolicy: 'Foreground',
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

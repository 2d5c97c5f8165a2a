import type { CustomObjectsApi } from '@kubernetes/client-node';
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
import { isNotFound, mergePatch } from '../../sdk/src/kubernetes/index.ts';
import type { StatusWriter } from './status-writer.ts';
import { teardownStep } from './teardown.ts';

export const FINALIZER_TEARDOWN = `${GROUP}/teardown`;

export interface CompositeControllerOptions {
  graph: StateGraph;
  custom: CustomObjectsApi;
  status: StatusWriter;
  events: EventRecorder;
  logger: Logger;
  /** Lists every Resource and Composite of a namespace (for releasing children that lost the label). */
  objectsIn: (namespace: string) => ClockworkObject[];
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
    const composite = this.#o.graph.view.getComposite(namespace, name);
    if (!composite) return;
    if (composite.metadata.deletionTimestamp) return this.#teardown(composite);
    if (!composite.metadata.finalizers?.includes(FINALIZER_TEARDOWN)) {
      await this.#patch(composite, { metadata: { resourceVersion: composite.metadata.resourceVersion, finalizers: [...(composite.metadata.finalizers ?? []), FINALIZER_TEARDOWN] } });
      return; // the update event brings the next pass
    }
    await this.#adoptAndRelease(composite);
    await this.#writeStatus(composite);
  }

  async #writeStatus(composite: CompositeObject): Promise<void> {
    const descendants: DescendantState[] = this.#o.graph.descendantsOf(composite).map((r) => ({ key: `${r.metadata.namespace ?? 'default'}/${r.metadata.name}`, ...readinessOf(r) }));
    descendants.sort((a, b) => a.key.localeCompare(b.key));
    const evaluation = evaluateComposite({ descendants, now: new Date(), ...(composite.status?.conditions ? { previous: composite.status.conditions } : {}), ...(composite.metadata.generation !== undefined ? { generation: composite.metadata.generation } : {}) });
    const status: CompositeStatus = {
      ...(composite.metadata.generation !== undefined ? { observedGeneration: composite.metadata.generation } : {}),
      conditions: evaluation.conditions,
      readySummary: `${evaluation.readyCount}/${evaluation.totalCount}`,
      readyCount: evaluation.readyCount,
      totalCount: evaluation.totalCount,
    };
    const wasReady = composite.status?.conditions?.find((c) => c.type === CONDITION_READY)?.status === 'True';
    if (await this.#o.status.write(composite, status)) {
      if (evaluation.ready !== wasReady && composite.status?.conditions)
        await this.#o.events.record(composite, evaluation.ready ? { type: 'Normal', reason: 'Ready', message: evaluation.conditions[0]!.message } : { type: 'Warning', reason: 'NotReady', message: evaluation.conditions[0]!.message });
    }
  }

  /** Children labelled with this Composite get its controller ownerReference; those that lost the label lose it. */
  async #adoptAndRelease(composite: CompositeObject): Promise<void> {
    const uid = composite.metadata.uid;
    if (!uid) return;
    const namespace = composite.metadata.namespace ?? 'default';
    const ours = (r: OwnerReference) => r.uid === uid;
    for (const child of this.#o.objectsIn(namespace)) {
      if (child.metadata.deletionTimestamp || (child.kind === 'Composite' && child.metadata.name === composite.metadata.name)) continue;
      const refs = child.metadata.ownerReferences ?? [];
      const labelled = child.metadata.labels?.[LABEL_COMPOSITE] === composite.metadata.name;
      if (labelled && !refs.some((r) => r.controller)) {
        const ref: OwnerReference = { apiVersion: API_VERSION, kind: KIND_COMPOSITE, name: composite.metadata.name, uid, controller: true, blockOwnerDeletion: true };
        await this.#patch(child, { metadata: { resourceVersion: child.metadata.resourceVersion, ownerReferences: [...refs.filter((r) => !ours(r)), ref] } });
        await this.#o.events.record(composite, { type: 'Normal', reason: 'Adopted', message: `adopted ${child.kind} ${child.metadata.name}` });
      } else if (!labelled && refs.some(ours)) {
        await this.#patch(child, { metadata: { resourceVersion: child.metadata.resourceVersion, ownerReferences: refs.filter((r) => !ours(r)) } });
        await this.#o.events.record(composite, { type: 'Normal', reason: 'Released', message: `released ${child.kind} ${child.metadata.name}: it no longer has the ${LABEL_COMPOSITE} label` });
      }
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

  async #patch(object: ClockworkObject, body: object): Promise<void> {
    await this.#o.custom.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace: object.metadata.namespace ?? 'default', plural: object.kind === 'Resource' ? PLURAL_RESOURCE : PLURAL_COMPOSITE, name: object.metadata.name, body },
      mergePatch,
    );
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

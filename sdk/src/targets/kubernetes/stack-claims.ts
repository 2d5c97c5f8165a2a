import { CoreV1Api, Watch, type KubeConfig, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { LABEL_RESOURCE, LABEL_VOLUME } from '../../api/index.ts';
import type { VolumeReport } from '../target.ts';
import type { VolumeEntry } from '../volume-fates.ts';
import { statusCode } from '../../kubernetes/index.ts';

/** A claim the operator made for a Resource's volume, as its labels describe it. */
export interface ClaimEntry extends VolumeEntry {
  name: string;
  namespace: string;
  /** Being deleted already. */
  deleting: boolean;
}

/**
 * The claims of a namespace's Resources (label `clockwork.dev/volume`), for `destroy --volumes`
 * and for saying which data is kept. A claim without an ownerReference is a retained one.
 */
export class StackClaims {
  readonly #config: KubeConfig;
  readonly #core: CoreV1Api;
  readonly #namespace: string;

  constructor(config: KubeConfig, namespace: string) {
    this.#config = config;
    this.#core = config.makeApiClient(CoreV1Api);
    this.#namespace = namespace;
  }

  async list(): Promise<ClaimEntry[]> {
    const list = await this.#core.listNamespacedPersistentVolumeClaim({ namespace: this.#namespace, labelSelector: `${LABEL_VOLUME},${LABEL_RESOURCE}` });
    return list.items.map(claimEntry).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Deletes the claims and resolves once they are gone (their Pods must be gone, or going). */
  async deleteAndWait(names: readonly string[], timeoutMs = 120_000): Promise<void> {
    if (names.length === 0) return;
    const left = new Set(names);
    let abort: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`claims not gone after ${timeoutMs / 1000}s: ${[...left].join(', ')}`)), timeoutMs);
        const check = (present: ReadonlySet<string>) => {
          for (const name of [...left]) if (!present.has(name)) left.delete(name);
          if (left.size === 0) resolve();
        };
        // Watching before deleting, from the resourceVersion of a list: no deletion is missed.
        void (async () => {
          const list = await this.#core.listNamespacedPersistentVolumeClaim({ namespace: this.#namespace, labelSelector: LABEL_VOLUME });
          const present = new Set(list.items.map((c) => c.metadata?.name ?? ''));
          abort = await new Watch(this.#config).watch(
            `/api/v1/namespaces/${this.#namespace}/persistentvolumeclaims`,
            { labelSelector: LABEL_VOLUME, resourceVersion: list.metadata?.resourceVersion ?? '' },
            (phase: string, claim: V1PersistentVolumeClaim) => {
              if (phase === 'DELETED') present.delete(claim.metadata?.name ?? '');
              check(present);
            },
            (error: unknown) => {
              if (left.size > 0 && error) reject(error);
            },
          );
          await Promise.all(
            names.map(async (name) => {
              try {
                await this.#core.deleteNamespacedPersistentVolumeClaim({ namespace: this.#namespace, name });
              } catch (error) {
                if (statusCode(error) !== 404) throw error;
                present.delete(name);
              }
            }),
          );
          check(present);
        })().catch(reject);
      });
    } finally {
      clearTimeout(timer);
      abort?.abort();
    }
  }
}

export function claimReport(claim: ClaimEntry): VolumeReport {
  return { resource: claim.resource, volume: claim.volume, where: `claim ${claim.namespace}/${claim.name}`, removeWith: `kubectl delete pvc -n ${claim.namespace} ${claim.name}` };
}

function claimEntry(claim: V1PersistentVolumeClaim): ClaimEntry {
  const labels = claim.metadata?.labels ?? {};
  return {
    name: claim.metadata?.name ?? '',
    namespace: claim.metadata?.namespace ?? '',
    resource: labels[LABEL_RESOURCE] ?? '',
    volume: labels[LABEL_VOLUME] ?? '',
    retain: !(claim.metadata?.ownerReferences ?? []).some((r) => r.controller),
    deleting: Boolean(claim.metadata?.deletionTimestamp),
  };
}

import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { Informer, SILENT_LOG } from '../../kubernetes/index.ts';

export interface WatchedCollection<T extends KubernetesObject> {
  list(): T[];
  stop(): void;
}

/**
 * One collection kept current by the shared list+watch `Informer` (relisted after an error,
 * resumed when a watch ends or falls silent). Resolves once the first list is in; rejects when
 * that first list fails.
 */
export async function watchCollection<T extends KubernetesObject>(options: {
  config: KubeConfig;
  /** e.g. /apis/clockwork.dev/v1alpha1/namespaces/ns/clockworkresources, or /api/v1/events. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  onChange: () => void;
  onError: (message: string | undefined) => void;
}): Promise<WatchedCollection<T>> {
  const informer = new Informer<T>({
    name: options.path,
    kubeConfig: options.config,
    watchPath: options.path,
    list: options.list,
    failOnFirstList: true,
    logger: { ...SILENT_LOG, warn: (_message, meta) => options.onError(`watch of ${options.path} failed (${(meta as { error?: string } | undefined)?.error ?? 'no answer'}); retrying`) },
    // A list that worked (after an error too): whatever was wrong is over.
    onRelist: () => options.onError(undefined),
  });
  const changed = () => options.onChange();
  informer.on({ onAdd: changed, onUpdate: changed, onDelete: changed });
  await informer.start();
  return { list: () => informer.list(), stop: () => informer.stop() };
}

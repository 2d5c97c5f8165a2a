import { makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

export interface WatchedCollection<T extends KubernetesObject> {
  list(): T[];
  stop(): void;
}

/**
 * The client library's list+watch cache over one collection, restarted a second after an error
 * (the library's informer stops on one). Resolves once the first list is in.
 */
export async function watchCollection<T extends KubernetesObject>(options: {
  config: KubeConfig;
  /** e.g. /apis/clockwork.dev/v1alpha1/namespaces/ns/clockworkresources, or /api/v1/events. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  onChange: () => void;
  onError: (message: string | undefined) => void;
}): Promise<WatchedCollection<T>> {
  const informer = makeInformer<T>(options.config, options.path, options.list);
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const changed = () => options.onChange();
  informer.on('add', changed);
  informer.on('update', changed);
  informer.on('delete', changed);
  informer.on('connect', () => options.onError(undefined));
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    options.onError(`watch of ${options.path} failed (${(error as Error | undefined)?.message ?? 'no answer'}); retrying`);
    clearTimeout(retry);
    retry = setTimeout(() => void informer.start().catch(() => undefined), 1000);
  });
  await informer.start();
  return {
    list: () => [...informer.list()],
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      void informer.stop();
    },
  };
}

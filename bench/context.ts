// What every scenario gets: the bench's API client and its watches.
import type { Kube } from './kube.ts';
import type { Collection } from './tracker.ts';

export interface Ctx {
  kube: Kube;
  quick: boolean;
  /** Clockwork Resources and all Pods, watched cluster-wide by the bench. */
  resources: Collection;
  pods: Collection;
  /** kubeconfig of the operator's (audited) identity. */
  operatorKubeconfig: string;
  kroKubeconfig: string;
}

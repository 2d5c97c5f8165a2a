import { KubeConfig } from '@kubernetes/client-node';

/** The kubeconfig `kubectl` would use ($KUBECONFIG, ~/.kube/config or in-cluster), at `context`. */
export function loadKubeConfig(options: { context?: string | undefined } = {}): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  if (options.context) {
    if (!config.getContextObject(options.context)) throw new KubernetesUnavailableError(`kubeconfig has no context "${options.context}"`, 'list them with `kubectl config get-contexts`');
    config.setCurrentContext(options.context);
  }
  return config;
}

/** The cluster cannot take the stack yet; the message says how to fix it. */
export class KubernetesUnavailableError extends Error {
  readonly fix: string;

  constructor(problem: string, fix: string) {
    super(`${problem}\n  fix: ${fix}`);
    this.name = 'KubernetesUnavailableError';
    this.fix = fix;
  }
}

/** The HTTP status of a client-node error, if it has one. */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type Docker from 'dockerode';
import type { KubeConfig } from '@kubernetes/client-node';
import { PLURAL_RESOURCE, GROUP, ClockworkError } from '../api/index.ts';
import type { Target } from './target.ts';

// Each target's modules (dockerode; the Kubernetes client's generated APIs) load only when that
// target is tried: `--target docker` never pays for the Kubernetes client, nor the reverse.
const newDocker = async (): Promise<Docker> => new (await import('dockerode')).default();

export type TargetChoice = 'auto' | 'docker' | 'kubernetes';

/** No target answered; the message says what was tried. */
export class NoTargetError extends ClockworkError {
  constructor(tried: string[]) {
    super(`no target available:\n${tried.map((t) => `  - ${t}`).join('\n')}`);
  }
}

export interface SelectTargetOptions {
  target: TargetChoice;
  /** Name of the stack (its ApplySet on Kubernetes: inventory and field manager); none: no pruning. */
  stackName?: string | undefined;
  /** Kubernetes: take fields other field managers own. */
  forceConflicts?: boolean;
  /** kubeconfig context (default: the current one). */
  context?: string | undefined;
  publishAllInterfaces?: boolean;
  /** Injected in tests. */
  probeKubernetes?: () => Promise<{ ok: boolean; detail: string }>;
  probeDocker?: (docker: Docker) => Promise<{ ok: boolean; detail: string }>;
}

export async function selectTarget(options: SelectTargetOptions): Promise<Target> {
  const dockerTarget = async (docker: Docker) => new (await import('./docker/docker-target.ts')).DockerTarget({ docker, publishAllInterfaces: options.publishAllInterfaces ?? false });
  if (options.target === 'docker') {
    const [docker, target] = await Promise.all([newDocker(), import('./docker/docker-target.ts')]);
    const probe = await (options.probeDocker ?? probeDocker)(docker);
    if (!probe.ok) throw new NoTargetError([`Docker: ${probe.detail}`]);
    return new target.DockerTarget({ docker, publishAllInterfaces: options.publishAllInterfaces ?? false });
  }
  const kubernetesTarget = async () => {
    const [{ KubernetesTarget }, { loadKubeConfig }] = await Promise.all([import('./kubernetes/kubernetes-target.ts'), import('../kubernetes/index.ts')]);
    return new KubernetesTarget({ config: loadKubeConfig({ context: options.context }).kc, stackName: options.stackName, forceConflicts: options.forceConflicts ?? false });
  };
  if (options.target === 'kubernetes') return kubernetesTarget();
  const tried: string[] = [];
  const kube = await (options.probeKubernetes ?? (() => probeKubernetes(options.context)))();
  if (kube.ok) return kubernetesTarget();
  tried.push(`Kubernetes: ${kube.detail}`);
  const docker = await newDocker();
  const engine = await (options.probeDocker ?? probeDocker)(docker);
  if (engine.ok) return dockerTarget(docker);
  tried.push(`Docker: ${engine.detail}`);
  throw new NoTargetError(tried);
}

const PROBE_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

export async function probeDocker(docker: Docker): Promise<{ ok: boolean; detail: string }> {
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  try {
    await withTimeout(docker.ping(), `engine at ${where}`);
    return { ok: true, detail: `engine at ${where} answered` };
  } catch (error) {
    return { ok: false, detail: `no engine answered at ${where} (${(error as Error).message})` };
  }
}

/** The current kubeconfig context answers and the Clockwork CRDs are installed. */
export async function probeKubernetes(contextName?: string): Promise<{ ok: boolean; detail: string }> {
  const kubeconfig = process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  if (!process.env.KUBERNETES_SERVICE_HOST && !kubeconfig.split(delimiter).some((f) => f && existsSync(f))) return { ok: false, detail: `no kubeconfig (${kubeconfig}) and not inside a cluster` };
  const { KubernetesUnavailableError, loadKubeConfig, statusCode } = await import('../kubernetes/index.ts');
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig({ context: contextName }).kc;
  } catch (error) {
    if (error instanceof KubernetesUnavailableError) return { ok: false, detail: error.message.split('\n')[0]! };
    return { ok: false, detail: `kubeconfig could not be read (${(error as Error).message})` };
  }
  const context = kc.getCurrentContext();
  try {
    const { ApiextensionsV1Api } = await import('@kubernetes/client-node');
    await withTimeout(kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: `${PLURAL_RESOURCE}.${GROUP}` }), `context "${context}"`);
    return { ok: true, detail: `context "${context}" answered and the CRDs are installed` };
  } catch (error) {
    if (statusCode(error) === 404) return { ok: false, detail: `context "${context}" answered but the Clockwork CRDs are not installed` };
    return { ok: false, detail: `context "${context}" did not answer (${(error as Error).message.split('\n')[0]})` };
  }
}

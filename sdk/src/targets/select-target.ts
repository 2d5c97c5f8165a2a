import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import Docker from 'dockerode';
import { PLURAL_RESOURCE, GROUP } from '../api/index.ts';
import { DockerTarget } from './docker/docker-target.ts';
import type { Target } from './target.ts';

export type TargetChoice = 'auto' | 'docker' | 'kubernetes';

/** Kubernetes was chosen (or asked for), but applying through the CLI is not there yet: exit 2. */
export class KubernetesTargetNotImplementedError extends Error {
  constructor(why: string) {
    super(`${why}; applying to Kubernetes from the CLI is not implemented yet: use \`clockwork generate <file.ts> | kubectl apply -f -\` with the operator installed, or pass --target docker`);
    this.name = 'KubernetesTargetNotImplementedError';
  }
}

/** No target answered; the message says what was tried. */
export class NoTargetError extends Error {
  constructor(tried: string[]) {
    super(`no target available:\n${tried.map((t) => `  - ${t}`).join('\n')}`);
    this.name = 'NoTargetError';
  }
}

export interface SelectTargetOptions {
  target: TargetChoice;
  publishAllInterfaces?: boolean;
  /** Injected in tests. */
  probeKubernetes?: () => Promise<{ ok: boolean; detail: string }>;
  probeDocker?: (docker: Docker) => Promise<{ ok: boolean; detail: string }>;
}

export async function selectTarget(options: SelectTargetOptions): Promise<Target> {
  const docker = new Docker();
  const dockerTarget = () => new DockerTarget({ docker, publishAllInterfaces: options.publishAllInterfaces ?? false });
  if (options.target === 'docker') {
    const probe = await (options.probeDocker ?? probeDocker)(docker);
    if (!probe.ok) throw new NoTargetError([`Docker: ${probe.detail}`]);
    return dockerTarget();
  }
  if (options.target === 'kubernetes') throw new KubernetesTargetNotImplementedError('--target kubernetes');
  const tried: string[] = [];
  const kube = await (options.probeKubernetes ?? probeKubernetes)();
  if (kube.ok) throw new KubernetesTargetNotImplementedError(`--target auto chose Kubernetes (${kube.detail})`);
  tried.push(`Kubernetes: ${kube.detail}`);
  const engine = await (options.probeDocker ?? probeDocker)(docker);
  if (engine.ok) return dockerTarget();
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
export async function probeKubernetes(): Promise<{ ok: boolean; detail: string }> {
  const kubeconfig = process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  if (!process.env.KUBERNETES_SERVICE_HOST && !kubeconfig.split(delimiter).some((f) => f && existsSync(f))) return { ok: false, detail: `no kubeconfig (${kubeconfig}) and not inside a cluster` };
  try {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromDefault();
    const context = kc.getCurrentContext();
    if (!context || !kc.getCurrentCluster()) return { ok: false, detail: 'no current kubeconfig context' };
    const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
    try {
      await withTimeout(api.readCustomResourceDefinition({ name: `${PLURAL_RESOURCE}.${GROUP}` }), `context "${context}"`);
      return { ok: true, detail: `context "${context}" answered and the CRDs are installed` };
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 404) return { ok: false, detail: `context "${context}" answered but the Clockwork CRDs are not installed` };
      return { ok: false, detail: `context "${context}" did not answer (${(error as Error).message.split('\n')[0]})` };
    }
  } catch (error) {
    return { ok: false, detail: `kubeconfig could not be read (${(error as Error).message})` };
  }
}

// The two backends the conformance table runs against: the Docker target on the local engine, and
// the Kubernetes target on the real-node cluster with the operator running beside it (as users
// run it: `clockwork operator`, leader Lease and all). Each gives the scenarios the same handle.
import Docker from 'dockerode';
import { compileStack, type CompiledStack } from '../../sdk/src/index.ts';
import { DockerTarget } from '../../sdk/src/targets/docker/docker-target.ts';
import { loadKubeConfig } from '../../sdk/src/kubernetes/index.ts';
import { KubernetesTarget } from '../../sdk/src/targets/kubernetes/kubernetes-target.ts';
import type { Target } from '../../sdk/src/targets/target.ts';
import { deleteNamespaces, ensureCrds, kubectl, startOperatorProcess, type OperatorProcess } from '../integration/operator/support.ts';

export interface ConformanceBackend {
  readonly name: 'docker' | 'kubernetes';
  /** Starts what the backend needs (the operator); once per test file. */
  setup(): Promise<void>;
  /** The target and namespace one scenario works in. */
  open(scenario: string): Promise<{ target: Target; namespace: string; compile(items: unknown[]): CompiledStack }>;
  /** Removes what the scenario left (volumes included). */
  close(scenario: string): Promise<void>;
  teardown(): Promise<void>;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30);

/** Docker: one namespace (network) per scenario, removed with its volumes afterwards. */
export function dockerBackend(): ConformanceBackend {
  const target = new DockerTarget({ docker: new Docker() });
  const namespaceOf = (scenario: string) => `conf-${process.pid % 10000}-${slug(scenario)}`;
  const stacks = new Map<string, unknown[]>();
  return {
    name: 'docker',
    async setup() {},
    async open(scenario) {
      const namespace = namespaceOf(scenario);
      return { target, namespace, compile: (items) => (stacks.set(scenario, items), compileStack(items, { namespace })) };
    },
    async close(scenario) {
      const items = stacks.get(scenario);
      if (items) await target.destroy(compileStack(items, { namespace: namespaceOf(scenario) }), { volumes: true });
    },
    async teardown() {},
  };
}

/**
 * Kubernetes: one namespace per scenario on the real node, an operator watching them all with
 * its leader Lease in the first (so `clockwork apply`'s check for a running operator passes).
 */
export function kubernetesBackend(): ConformanceBackend {
  let operator: OperatorProcess | undefined;
  const namespaces: string[] = [];
  const base = `cw-conf-${process.pid % 10000}`;
  const target = new KubernetesTarget({ config: loadKubeConfig().kc });
  return {
    name: 'kubernetes',
    async setup() {
      await ensureCrds();
      await kubectl(['create', 'namespace', base]);
      namespaces.push(base);
      operator = await startOperatorProcess(['--lease-namespace', base]);
    },
    async open(scenario) {
      const namespace = `${base}-${slug(scenario)}`.slice(0, 63).replace(/-$/, '');
      await kubectl(['create', 'namespace', namespace]);
      namespaces.push(namespace);
      return { target, namespace, compile: (items) => compileStack(items, { namespace }) };
    },
    async close() {},
    async teardown() {
      // The operator stays up while the namespaces go (claims and Jobs go with them).
      await deleteNamespaces(namespaces);
      await operator?.stop();
    },
  };
}

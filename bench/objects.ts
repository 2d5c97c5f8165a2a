// Clockwork objects as `clockwork generate` emits them, and small helpers to create them.
import { performance } from 'node:perf_hooks';
import { pool, type Kube } from './kube.ts';

export const IMAGE = 'clockwork-test/busybox:1';
export const KWOK_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';
const RES_PATH = (ns: string) => `/apis/clockwork.dev/v1alpha1/namespaces/${ns}/clockworkresources`;
const COMP_PATH = (ns: string) => `/apis/clockwork.dev/v1alpha1/namespaces/${ns}/clockworkcomposites`;

export interface ResOpts {
  dependsOn?: string[];
  /** Dependencies across a composite boundary (clockwork.dev/depends-on). */
  dependsOnAnnotation?: string[];
  composite?: string;
  /** kwok readiness delay, a Go duration ('0s', '1s'). */
  delay?: string;
}

export function resource(ns: string, name: string, o: ResOpts = {}): object {
  const annotations: Record<string, string> = {};
  if (o.delay && o.delay !== '0s') annotations[KWOK_DELAY] = o.delay;
  if (o.dependsOnAnnotation?.length) annotations['clockwork.dev/depends-on'] = o.dependsOnAnnotation.join(',');
  return {
    apiVersion: 'clockwork.dev/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: ns,
      labels: { 'app.kubernetes.io/managed-by': 'clockwork', ...(o.composite ? { 'clockwork.dev/composite': o.composite } : {}) },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: { image: IMAGE, ports: [{ port: 8080 }], ...(o.dependsOn?.length ? { dependsOn: o.dependsOn } : {}) },
  };
}

export function composite(ns: string, name: string): object {
  return { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Composite', metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'clockwork' } }, spec: {} };
}

export async function createNamespace(kube: Kube, ns: string): Promise<void> {
  await kube.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'clockwork.dev/bench': 'true' } } });
  // Pods need the namespace's default ServiceAccount (the controller-manager creates it).
  const deadline = performance.now() + 30_000;
  while ((await kube.req('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`, undefined, { allow: [404] })).status === 404) {
    if (performance.now() > deadline) throw new Error(`no default ServiceAccount in ${ns}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates Composites then Resources (POST, `concurrency` in flight). */
export async function createAll(kube: Kube, objects: any[], concurrency = 16): Promise<void> {
  await pool(objects, concurrency, (o) => kube.req('POST', (o.kind === 'Composite' ? COMP_PATH : RES_PATH)(o.metadata.namespace), o));
}

/**
 * Creates a stack as `clockwork apply` and `deploy()` do: the Composites first, then each Resource
 * with its Composite's controller ownerReference (which objects from `generate | kubectl apply`
 * cannot carry, so the operator adopts those: one more write each).
 */
export async function createAsApply(kube: Kube, objects: any[], concurrency = 16): Promise<void> {
  const uids = new Map<string, string>();
  const composites = objects.filter((o) => o.kind === 'Composite');
  await pool(composites, concurrency, async (o) => {
    const r = await kube.req('POST', COMP_PATH(o.metadata.namespace), o);
    uids.set(`${o.metadata.namespace}/${o.metadata.name}`, r.body.metadata.uid);
  });
  const resources = objects.filter((o) => o.kind !== 'Composite').map((o) => {
    const parent = o.metadata.labels?.['clockwork.dev/composite'];
    const uid = parent && uids.get(`${o.metadata.namespace}/${parent}`);
    return uid ? { ...o, metadata: { ...o.metadata, ownerReferences: [{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Composite', name: parent, uid, controller: true, blockOwnerDeletion: true }] } } : o;
  });
  await pool(resources, concurrency, (o) => kube.req('POST', RES_PATH(o.metadata.namespace), o));
}

/** Deletes namespaces (the operator still running, so finalizers are handled) and waits until they are gone. */
export async function deleteNamespaces(kube: Kube, namespaces: string[], timeoutMs = 300_000): Promise<void> {
  await pool(namespaces, 8, (ns) => kube.req('DELETE', `/api/v1/namespaces/${ns}`, undefined, { allow: [404] }));
  const deadline = performance.now() + timeoutMs;
  for (const ns of namespaces) {
    while ((await kube.req('GET', `/api/v1/namespaces/${ns}`, undefined, { allow: [404] })).status !== 404) {
      if (performance.now() > deadline) throw new Error(`namespace ${ns} not gone after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// The operator's RBAC grants exactly what its code calls (issue #18). The calls are read from
// the source of operator/src: every Kubernetes client call (verb and kind from the method name,
// the plural from its arguments), every informer's list and watch path, every ownerReference
// that sets blockOwnerDeletion (which needs update on the owner's finalizers). The derived set
// must equal the ClusterRole's rules, the tenant Role's, and the leader-election Role's.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as api from '../../sdk/src/api/index.ts';

const root = join(import.meta.dirname, '..', '..');
const deploy = join(root, 'deploy');
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const docs = (file: string) => parseAllDocuments(readFileSync(join(deploy, file), 'utf8')).map((d) => d.toJS());

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));
}

/** Constants the calls name (GROUP, PLURAL_RESOURCE, OPERATOR_LEASE_NAME, …), by identifier. */
const constants = api as unknown as Record<string, unknown>;
const constant = (id: string) => {
  const v = constants[id];
  if (typeof v !== 'string') throw new Error(`unknown constant ${id}`);
  return v;
};

/** Which client (by the name it is called through) serves which API group. */
const CLIENT_GROUP: Record<string, string> = { core: '', batch: 'batch', custom: 'custom', coordination: 'coordination.k8s.io', api: 'coordination.k8s.io' };
// A server-side apply is a PATCH.
const VERB: Record<string, string> = { create: 'create', read: 'get', replace: 'update', patch: 'patch', apply: 'patch', delete: 'delete', list: 'list' };
const KIND_RESOURCE: Record<string, string> = {
  Pod: 'pods',
  PodLog: 'pods/log',
  Service: 'services',
  ConfigMap: 'configmaps',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Job: 'jobs',
  Event: 'events',
  Lease: 'leases',
  Namespace: 'namespaces',
};

/** "group resource verb" strings the code needs, with where each comes from. */
function derive(): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  const need = (group: string, resource: string, verb: string, where: string) => needs.set(`${group}|${resource}|${verb}`, [...(needs.get(`${group}|${resource}|${verb}`) ?? []), where]);
  for (const { file, text } of sources(join(root, 'operator', 'src'))) {
    // Client calls: client.verb[Namespaced|Cluster]Kind[ForAllNamespaces]( … )
    for (const m of text.matchAll(/\b(core|batch|custom|coordination|api)\.(create|read|replace|patch|apply|delete|list)(Namespaced|Cluster)?(\w+?)(ForAllNamespaces)?\(/g)) {
      const [, client, verbWord, , kind] = m as unknown as [string, string, string, string, string];
      const where = `${file}: ${m[0]}`;
      const verb = VERB[verbWord]!;
      if (CLIENT_GROUP[client] === 'custom') {
        // The call's arguments (to its closing `})`); a `...this.#ref(object)` in them stands for
        // the file's #ref method, which names the group and plurals.
        const args = text.slice(m.index!, m.index! + 600).split('})')[0]!;
        const ref = /\n  #ref\([^)]*\)[^{]*\{([\s\S]*?)\n  \}/.exec(text)?.[1];
        const call = args.includes('this.#ref(') && ref ? ref : args;
        const group = constant(/group: (\w+)/.exec(call)![1]!);
        const named = [...call.matchAll(/PLURAL_\w+/g)].map((p) => constant(p[0]));
        // `plural` passed through a variable: the informers list both kinds through one helper.
        const plurals = named.length ? [...new Set(named)] : [constant('PLURAL_RESOURCE'), constant('PLURAL_COMPOSITE')];
        for (const plural of plurals) need(group, kind === 'CustomObjectStatus' ? `${plural}/status` : plural, verb, where);
      } else {
        const resource = KIND_RESOURCE[kind];
        if (!resource) throw new Error(`${where}: no resource known for kind ${kind}; add it to the test's table`);
        need(CLIENT_GROUP[client]!, resource, resource.endsWith('/log') ? 'get' : verb, where);
      }
    }
    // Informers watch what they list: watchPath: `/api/v1${nsPath}/pods`, `/apis/batch/v1${nsPath}/jobs` or
    // `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_X}`, or a cluster-scoped kind: '/api/v1/namespaces'.
    for (const m of text.matchAll(/watchPath: `\/(api\/v1|apis\/\$\{(\w+)\}\/\$\{\w+\}|apis\/([a-z.]+)\/v\w+)\$\{\w+\}\/(?:\$\{(\w+)\}|(\w+))`/g)) {
      const group = m[2] ? constant(m[2]) : (m[3] ?? '');
      need(group, m[4] ? constant(m[4]) : m[5]!, 'watch', `${file}: ${m[0]}`);
    }
    for (const m of text.matchAll(/watchPath: '\/api\/v1\/(\w+)'/g)) need('', m[1]!, 'watch', `${file}: ${m[0]}`);
    // An ownerReference with blockOwnerDeletion needs update on the owner's finalizers.
    for (const m of text.matchAll(/kind: (KIND_\w+),[^}]*blockOwnerDeletion: true/g)) {
      need(constant('GROUP'), `${constant(m[1]! === 'KIND_RESOURCE' ? 'PLURAL_RESOURCE' : 'PLURAL_COMPOSITE')}/finalizers`, 'update', `${file}: ownerReference to ${m[1]}`);
    }
  }
  return needs;
}

/** Rules as the same "group resource verb" strings. */
const granted = (rules: Rule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`)))));
const isLease = (key: string) => key.startsWith('coordination.k8s.io|leases|');
/** Cluster-scoped: a Role cannot grant them (the namespaced operator does not use them). */
const isClusterScoped = (key: string) => key.startsWith('|namespaces|');

describe('RBAC derived from the code', () => {
  const needs = derive();
  const operatorNeeds = [...needs.keys()].filter((k) => !isLease(k)).sort();
  const leaseNeeds = [...needs.keys()].filter(isLease).sort();

  test('the calls found are the ones expected to be found (the scan itself works)', () => {
    expect(operatorNeeds).toEqual(
      expect.arrayContaining(['|pods|create', '|pods|watch', '|pods/log|get', '|persistentvolumeclaims|watch', 'batch|jobs|create', 'batch|jobs|watch', `${api.GROUP}|${api.PLURAL_RESOURCE}/status|patch`, `${api.GROUP}|${api.PLURAL_RESOURCE}/finalizers|update`]),
    );
    expect(leaseNeeds).toEqual(['coordination.k8s.io|leases|create', 'coordination.k8s.io|leases|get', 'coordination.k8s.io|leases|update']);
  });

  test.each([
    ['deploy/cluster/cluster-role.yaml', 'cluster/cluster-role.yaml', operatorNeeds],
    ['deploy/namespaced/role.yaml (no cluster-scoped kinds)', 'namespaced/role.yaml', operatorNeeds.filter((n) => !isClusterScoped(n))],
  ])('%s grants exactly what the code calls', (_name, file, wanted) => {
    const rules: Rule[] = docs(file)[0].rules;
    const extra = [...granted(rules)].filter((g) => !wanted.includes(g)).sort();
    const missing = wanted.filter((n) => !granted(rules).has(n));
    expect({ extra, missing }).toEqual({ extra: [], missing: [] });
  });

  test('the API server proxy is not granted: the operator uses it only out of cluster, with its runner\'s kubeconfig', () => {
    const proxied = sources(join(root, 'operator', 'src')).filter((f) => /\/(services|pods)\/\$\{[^}]+\}:\$\{[^}]+\}\/proxy/.test(f.text)).map((f) => f.file);
    expect(proxied).toEqual(['operator/src/assertion-targets.ts']);
    for (const file of ['cluster/cluster-role.yaml', 'namespaced/role.yaml']) {
      const all = [...granted(docs(file)[0].rules)];
      expect(all.filter((g) => g.includes('/proxy'))).toEqual([]);
    }
  });

  test('the leader-election Role: get and update of the one Lease by name; create (which cannot be limited by name)', () => {
    const rules: Rule[] = docs('base/leader-election-role.yaml')[0].rules;
    expect([...granted(rules)].sort()).toEqual(leaseNeeds);
    const byName = rules.filter((r) => r.resourceNames);
    expect(byName).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: [api.OPERATOR_LEASE_NAME] }]);
    expect(rules.filter((r) => !r.resourceNames)).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] }]);
  });
});

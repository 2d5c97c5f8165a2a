// Attacks 1 and 2 of issue #18, out of cluster (the operator as a separate process, assertions
// through the API server's service proxy, as `clockwork operator` runs on a laptop or in CI):
// a Resource's assertions reach its own Service and nothing else. Its author may only create
// Resources in their namespace; the operator's credentials here are the admin's.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { kubernetesAssertionTarget } from '../../../operator/src/assertion-targets.ts';
import * as assertions from '../../../sdk/src/assertions/index.ts';
import { canarySecret, clusterInfo, ensureCrds, kubectl, leaked, operatorHasFlag, report, resource, tenantView, testScope, waitFor, waitReady } from './support.ts';

const scope = testScope();
let victim = '';
let canaries: string[] = [];
// A server on the operator's loopback with something only the operator's host should read.
let server: Server;
let serverPort = 0;
const requests: string[] = [];
const LOOPBACK_SECRET = `loopback-secret-${process.pid}`;

beforeAll(async () => {
  await ensureCrds();
  victim = await scope.ns('victim');
  canaries = await canarySecret(victim, 'db-token');
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(req.url === '/latest/meta-data' ? 200 : 404).end(`${LOOPBACK_SECRET} at ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverPort = (server.address() as AddressInfo).port;
}, 90_000);

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await scope.cleanup();
}, 90_000);

const TRAVERSAL = '/../../../../../../../api/v1/namespaces/VICTIM/secrets';

describe('attack 1: an assertion path never leaves its own Service proxy prefix', () => {
  test('a traversal path is refused by the apiserver (CEL) with the field named; nothing leaks', async () => {
    const attacker = await scope.ns('traversal');
    await scope.operator({ namespace: attacker });
    const path = TRAVERSAL.replace('VICTIM', victim);
    const hostile = resource(attacker, 'thief', {
      assertions: [
        { name: 'read', http: { port: 'http', path, bodyContains: 'no-such-text' } },
        // bodyContains as an oracle: passes only if the Secret's value is in the answer.
        { name: 'oracle', http: { port: 'http', path: `${path}/db-token`, bodyContains: canaries[1] } },
      ],
    });
    const created = await kubectl(['create', '-f', '-'], { input: JSON.stringify(hostile), allowFailure: true });
    report(`traversal Resource: ${created.code === 0 ? 'accepted by the apiserver' : `refused: ${created.stderr.trim().slice(0, 300)}`}`);
    if (created.code === 0) {
      // Accepted (the code before #18): let the operator run its assertions, then look.
      await waitFor('the assertions ran', async () => JSON.parse(await tenantView(attacker)).resources[0]?.status?.assertions?.length === 2 || undefined, { timeoutMs: 30_000 });
    }
    const seen = await tenantView(attacker);
    report(`what the attacker reads back: ${seen.slice(0, 600)}`);
    expect(leaked(seen, canaries)).toEqual([]);
    expect(seen).not.toMatch(/"name":"oracle","kind":"http","passed":true/);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain('spec.assertions[0].http.path');
    expect(created.stderr).toContain('may not contain "." or ".." segments');
  }, 60_000);

  test.each([
    ['dot segments', TRAVERSAL],
    ['encoded dot segments', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/v1/namespaces/VICTIM/secrets'],
    ['mixed encodings', '/.%2E/..%2f..%2f..%2f..%2f..%2f..%2fapi/v1/namespaces/VICTIM/secrets'],
    ['a fragment', '/x#/../../../../../../../../api/v1/namespaces/VICTIM/secrets'],
    ['backslashes', '/..\\..\\..\\..\\..\\..\\..\\api\\v1\\namespaces\\VICTIM\\secrets'],
  ])('at request time too (an object stored before the rules, or a caller that skipped them): %s', async (_what, template) => {
    const path = template.replace('VICTIM', victim);
    const kc = new KubeConfig();
    kc.loadFromFile(clusterInfo().kubeconfig);
    const target = kubernetesAssertionTarget({
      namespace: 'attacker',
      name: 'thief',
      host: 'thief.attacker.svc.cluster.local',
      via: 'proxy',
      kc,
      core: kc.makeApiClient(CoreV1Api),
      pod: () => undefined,
      // Loaded by name: this file also runs against the code from before the policy existed.
      urls: 'UrlPolicy' in assertions ? new assertions.UrlPolicy({ allow: [], apiServer: [] }) : (undefined as never),
    });
    const outcome = await target.httpGet({ port: 8080, path, timeoutMs: 5000 }).then(
      (response) => `answered ${response.status}: ${response.body.slice(0, 200)}`,
      (error: Error) => `refused: ${error.message}`,
    );
    report(`request-time, ${_what}: ${outcome.slice(0, 200)}`);
    expect(leaked(outcome, canaries)).toEqual([]);
    expect(outcome).toMatch(/^refused: path .* refused: /);
  });
});

describe('attack 2: assertion URLs are off in the operator unless its installer allows them', () => {
  const attack = (namespace: string) =>
    resource(namespace, 'ssrf', {
      assertions: [
        { name: 'loopback', http: { url: `http://127.0.0.1:${serverPort}/latest/meta-data`, bodyContains: 'no-such-text' } },
        { name: 'oracle', http: { url: `http://127.0.0.1:${serverPort}/latest/meta-data`, bodyMatches: `^${LOOPBACK_SECRET}` } },
        { name: 'status-404', http: { url: `http://localhost:${serverPort}/other`, status: 200 } },
        { name: 'metadata', http: { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }, timeoutSeconds: 2 },
        { name: 'apiserver', http: { url: `${clusterInfo().server}/api/v1/namespaces/${victim}/secrets` }, timeoutSeconds: 2 },
      ],
    });

  test('by default: every url check fails without a request; status and Events carry no response text', async () => {
    const attacker = await scope.ns('ssrf');
    await scope.operator({ namespace: attacker });
    requests.length = 0;
    await kubectl(['apply', '-f', '-'], { input: JSON.stringify(attack(attacker)) });
    const status = await waitFor('the five url checks ran', async () => {
      const r = JSON.parse(await tenantView(attacker)).resources[0];
      return r?.status?.assertions?.length === 5 && r.status.assertions.every((a: any) => a.lastCheckedTime) ? r.status : undefined;
    }, { timeoutMs: 30_000 });
    const seen = await tenantView(attacker);
    report(`url checks, default operator: ${status.assertions.map((a: any) => `${a.name}=${a.passed}: ${a.message}`).join(' | ').slice(0, 900)}`);
    report(`requests that reached the loopback server: ${requests.length}`);
    expect(leaked(seen, [LOOPBACK_SECRET, ...canaries])).toEqual([]);
    expect(status.assertions.map((a: any) => a.passed)).toEqual([false, false, false, false, false]);
    expect(requests).toEqual([]);
    for (const a of status.assertions) expect(a.message).toContain('assertion URLs are off in this operator');
  }, 60_000);

  test('allowed by the installer: named hosts are fetched, loopback and the API server stay refused unless named, and still no response text', async () => {
    // This half needs the flag; it is not one of the attacks and is skipped on older code.
    if (!(await operatorHasFlag('--allow-assertion-urls'))) return report('--allow-assertion-urls: not in this code');
    const attacker = await scope.ns('ssrf-allowed');
    // Everything public allowed, and exactly this loopback address.
    await scope.operator({ namespace: attacker, extraArgs: ['--allow-assertion-urls', `0.0.0.0/0,127.0.0.1/32`] });
    requests.length = 0;
    await kubectl(['apply', '-f', '-'], { input: JSON.stringify(attack(attacker)) });
    const status = await waitFor('the five url checks ran', async () => {
      const r = JSON.parse(await tenantView(attacker)).resources[0];
      return r?.status?.assertions?.length === 5 && r.status.assertions.every((a: any) => a.lastCheckedTime) ? r.status : undefined;
    }, { timeoutMs: 30_000 });
    const byName = Object.fromEntries(status.assertions.map((a: any) => [a.name, a]));
    report(`url checks, --allow-assertion-urls 0.0.0.0/0,127.0.0.1/32: ${status.assertions.map((a: any) => `${a.name}=${a.passed}: ${a.message}`).join(' | ').slice(0, 900)}`);
    expect(leaked(await tenantView(attacker), [LOOPBACK_SECRET, ...canaries])).toEqual([]);
    // Reached (the loopback address was named), judged, and reported without the body.
    expect(byName.loopback.message).toBe(`GET http://127.0.0.1:${serverPort}/latest/meta-data: expected the body to contain "no-such-text"`);
    expect(byName['status-404'].message).toBe(`GET http://localhost:${serverPort}/other: expected status 200, got 404`);
    // bodyMatches still judges (the installer allowed this host), but shows nothing of the body.
    expect(byName.oracle.passed).toBe(true);
    // 0.0.0.0/0 does not name link-local; the API server (127.0.0.1 here) was named by 127.0.0.1/32.
    expect(byName.metadata.message).toContain('link-local');
    expect(requests.length).toBeGreaterThan(0);
  }, 60_000);
});

// Which assertion URLs the operator may fetch: none unless allowed; loopback, link-local, the
// API server and the cluster ranges only when named. Real sockets: a server on loopback stands
// in for what must stay unreachable; names resolve through an injected lookup.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directTarget, runAssertion, UrlNotAllowedError, UrlPolicy, UrlPolicyEntryError } from '../../sdk/src/assertions/index.ts';

let server: Server;
let port: number;
const SECRET = 'ami-secret-token-0123456789';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/redirect') return res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    res.writeHead(req.url === '/secret' ? 200 : 404).end(`${SECRET} ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const names: Record<string, string[]> = { 'metadata.internal': ['169.254.169.254'], 'rebind.example.com': ['127.0.0.1'], 'db.example.com': ['127.0.0.1'], 'web.example.com': ['203.0.113.7'] };
const policy = (allow: string[], extra: Partial<ConstructorParameters<typeof UrlPolicy>[0]> = {}) =>
  new UrlPolicy({ allow, apiServer: ['10.96.0.1'], lookup: async (host) => (names[host] ?? []).map((address) => ({ address, family: 4 })), ...extra });
const target = (urls: UrlPolicy) => directTarget({ address: () => ({ host: '127.0.0.1', port }), running: async () => ({ running: true, message: '' }), logs: async () => '', urls });
const check = (urls: UrlPolicy, url: string, more: Record<string, unknown> = {}) => runAssertion({ http: { url, ...more } }, [], target(urls));

describe('assertion URL policy', () => {
  test('off by default: the check fails without a request, and says how an installer allows hosts', async () => {
    let requests = 0;
    server.once('request', () => requests++);
    const r = await check(policy([]), `http://127.0.0.1:${port}/secret`);
    expect(r.passed).toBe(false);
    expect(r.message).toContain('assertion URLs are off in this operator');
    expect(r.message).toContain('--allow-assertion-urls');
    expect(requests).toBe(0);
  });

  test.each([
    ['0.0.0.0/0', '127.0.0.1', 'loopback'],
    ['0.0.0.0/0', '169.254.169.254', 'link-local'],
    ['10.0.0.0/8', '10.96.0.1', 'the API server'],
    ['10.0.0.0/8', '10.244.3.4', "cluster's Pod and Service ranges"],
    ['::/0', '[::1]', 'loopback'],
    ['0.0.0.0/0', '[::ffff:127.0.0.1]', 'loopback'],
  ])('a wide range (%s) does not open %s (%s)', async (allow, host, what) => {
    const r = await check(policy([allow], { clusterCidrs: ['10.244.0.0/16', '10.96.0.0/12'] }), `http://${host}:${port}/secret`);
    expect(r.passed).toBe(false);
    expect(r.message).toContain(what);
    expect(r.message).not.toContain(SECRET);
  });

  test('a name that resolves to a refused address is refused at connect time (no rebinding window)', async () => {
    const r = await check(policy(['0.0.0.0/0']), `http://rebind.example.com:${port}/secret`);
    expect(r).toMatchObject({ passed: false });
    expect(r.message).toContain('127.0.0.1 is loopback');
    expect((await check(policy(['*.example.com']), `http://rebind.example.com:${port}/secret`)).message).toContain('loopback');
  });

  test('by default every private range counts as the cluster\'s: a wider entry does not open one', async () => {
    const r = await check(policy(['0.0.0.0/0']), `http://10.244.3.4:${port}/`);
    expect(r.message).toContain("10.244.3.4 is in the cluster's Pod and Service ranges");
  });

  test('named exactly, it is allowed: the address, a narrow range, or the host name', async () => {
    for (const allow of ['127.0.0.1', '127.0.0.0/8', 'db.example.com']) {
      const url = allow === 'db.example.com' ? `http://db.example.com:${port}/secret` : `http://127.0.0.1:${port}/secret`;
      expect(await check(policy([allow]), url)).toMatchObject({ passed: true });
    }
  });

  test('no response text in the result of a url check: only pass or fail, the status and the time', async () => {
    const urls = policy(['127.0.0.1']);
    const results = await Promise.all([
      check(urls, `http://127.0.0.1:${port}/missing`),
      check(urls, `http://127.0.0.1:${port}/secret`, { bodyContains: 'nope' }),
      check(urls, `http://127.0.0.1:${port}/secret`, { bodyMatches: '^nope' }),
      check(urls, `http://127.0.0.1:${port}/redirect`),
    ]);
    expect(results.map((r) => r.passed)).toEqual([false, false, false, false]);
    for (const r of results) expect(r.message).not.toContain(SECRET);
    expect(results[0]!.message).toBe(`GET http://127.0.0.1:${port}/missing: expected status 2xx, got 404`);
    // Redirects are not followed.
    expect(results[3]!.message).toContain('got 302');
  });

  test('bad entries are refused with the entry named', () => {
    expect(() => policy(['not a host'])).toThrow(UrlPolicyEntryError);
    expect(() => policy(['10.0.0.0/33'])).toThrow(/10\.0\.0\.0\/33/);
    expect(() => policy(['ok.example.com'], { clusterCidrs: ['nope'] })).toThrow(/--cluster-cidrs/);
    expect(() => policy([]).prepare(new URL('http://x/'))).toThrow(UrlNotAllowedError);
  });

  test('URLs with credentials or other schemes are refused', () => {
    expect(() => policy(['web.example.com']).prepare(new URL('http://u:p@web.example.com/'))).toThrow(/credentials/);
    expect(() => policy(['web.example.com']).prepare(new URL('ftp://web.example.com/'))).toThrow(/http and https/);
  });
});

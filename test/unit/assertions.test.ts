import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { AssertionSpec } from '../../sdk/src/api/index.ts';
import { directTarget, nextAssertionStatus, nextCheckDelayMs, runAssertion, type AssertionResult } from '../../sdk/src/assertions/index.ts';

// A real HTTP server on loopback: the assertions talk to it over real sockets.
let server: Server;
let port: number;
let log = 'starting\nlistening on :8000\n';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/health') return res.end('{"status":"ok","db":"up"}');
    if (req.url === '/down') return res.writeHead(503).end('database unreachable');
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 300);
    if (req.url === '/hang') return; // never answers
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const target = () =>
  directTarget({
    address: (p) => ({ host: '127.0.0.1', port: p === 80 ? port : p }),
    running: async () => ({ running: true, message: 'container running' }),
    logs: async () => log,
  });
const ports = [{ name: 'http', port: 80 }];
const check = (spec: AssertionSpec) => runAssertion(spec, ports, target());

describe('http assertions', () => {
  test('2xx by default, through a named port', async () => {
    expect(await check({ http: { port: 'http', path: '/health' } })).toMatchObject({ name: 'http-http-health', kind: 'http', passed: true });
  });

  test('an unexpected status says what was expected and seen', async () => {
    const r = await check({ http: { port: 'http', path: '/down' } });
    expect(r).toMatchObject({ passed: false, message: 'GET port 80/down: expected status 2xx, got 503 (database unreachable)' });
    expect(await check({ http: { port: 80, path: '/down', status: 503 } })).toMatchObject({ passed: true });
  });

  test('body contains and body matches', async () => {
    expect(await check({ http: { port: 80, path: '/health', bodyContains: '"db":"up"' } })).toMatchObject({ passed: true });
    expect(await check({ http: { port: 80, path: '/health', bodyContains: 'down' } })).toMatchObject({ passed: false, message: 'GET port 80/health: expected the body to contain "down", got "{"status":"ok","db":"up"}"' });
    expect(await check({ http: { port: 80, path: '/health', bodyMatches: '"status":\\s*"ok"' } })).toMatchObject({ passed: true });
  });

  test('max latency', async () => {
    const r = await check({ http: { port: 80, path: '/slow', maxLatencyMs: 100 } });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/^GET port 80\/slow: took \d+ ms, more than 100 ms$/);
  });

  test('a timeout fails within the timeout', async () => {
    const r = await check({ http: { port: 80, path: '/hang' }, timeoutSeconds: 1 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/timed out/);
    expect(r.durationMs).toBeLessThan(2000);
  });

  test('a refused connection', async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await runAssertion({ http: { url: `http://127.0.0.1:${freePort}/` } }, [], target());
    expect(r).toMatchObject({ passed: false, message: `GET http://127.0.0.1:${freePort}/: ECONNREFUSED` });
  });
});

describe('tcp, running and log assertions', () => {
  test('tcp passes on a listening port and fails on a closed one', async () => {
    expect(await check({ tcp: { port: 80 } })).toMatchObject({ passed: true, message: 'port 80 accepts connections' });
    const r = await runAssertion({ tcp: { port: 1 } }, [], target());
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/connect to 127.0.0.1:1: ECONNREFUSED/);
  });

  test('running reports the backend state', async () => {
    expect(await check({ running: {} })).toMatchObject({ name: 'running', passed: true, message: 'container running' });
  });

  test('logContains with text and regex', async () => {
    expect(await check({ logContains: { text: 'listening on' } })).toMatchObject({ passed: true });
    expect(await check({ logContains: { regex: '^listening on :\\d+$' } })).toMatchObject({ passed: true });
    log = 'starting\n';
    expect(await check({ logContains: { text: 'listening on' } })).toMatchObject({ passed: false, message: 'expected the log to contain "listening on"; not found in 1 lines' });
  });
});

describe('failure threshold and schedule', () => {
  const spec: AssertionSpec = { name: 'up', http: { port: 80 }, failureThreshold: 3, intervalSeconds: 10 };
  const result = (passed: boolean): AssertionResult => ({ name: 'up', kind: 'http', passed, message: passed ? 'ok' : 'down', durationMs: 1 });
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  test('never passed: failed at once; passed: failed only after the threshold', () => {
    expect(nextAssertionStatus(undefined, result(false), spec, t(0)).passed).toBe(false);
    let status = nextAssertionStatus(undefined, result(true), spec, t(0));
    expect(status).toMatchObject({ passed: true, lastTransitionTime: '2026-01-01T00:00:00Z' });
    status = nextAssertionStatus(status, result(false), spec, t(10));
    expect(status).toMatchObject({ passed: true, consecutiveFailures: 1, message: 'down (failure 1 of 3 before it counts)' });
    status = nextAssertionStatus(status, result(false), spec, t(20));
    status = nextAssertionStatus(status, result(false), spec, t(30));
    expect(status).toMatchObject({ passed: false, consecutiveFailures: 3, lastTransitionTime: '2026-01-01T00:00:30Z' });
    status = nextAssertionStatus(status, result(true), spec, t(40));
    expect(status).toMatchObject({ passed: true, consecutiveFailures: 0, lastTransitionTime: '2026-01-01T00:00:40Z' });
  });

  test('checks back off quickly before the first pass, then run every interval', () => {
    expect([0, 1, 2, 3, 10].map((a) => nextCheckDelayMs(undefined, spec, a))).toEqual([250, 500, 1000, 2000, 10000]);
    expect(nextCheckDelayMs({ name: 'up', kind: 'http', passed: true, message: '' }, spec, 0)).toBe(10000);
  });
});

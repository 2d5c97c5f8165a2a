// Backend conformance: the table in scenarios.ts against the Docker backend on the real engine
// and the Kubernetes backend on the real node. One engine, two backends, the same observable
// results. (The e2e project: the real-node cluster and the Docker engine are up.)
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { ResourceReport } from '../../sdk/src/targets/target.ts';
import { dockerBackend, kubernetesBackend, type ConformanceBackend } from './backends.ts';
import { scenarios, type Stage } from './scenarios.ts';

const backends: ConformanceBackend[] = [dockerBackend(), kubernetesBackend()];

/** One line per scenario and backend, printed at the end: the table's results. */
const results: string[] = [];

afterAll(() => {
  if (results.length) process.stdout.write(`\nconformance results:\n${results.join('\n')}\n`);
});

describe.each(backends)('$name backend', (backend) => {
  beforeAll(() => backend.setup(), 120_000);
  afterAll(() => backend.teardown(), 120_000);

  test.each(scenarios)('$name', async (scenario) => {
    const started = performance.now();
    const { target, namespace, compile } = await backend.open(scenario.name);
    const stage: Stage = {
      backend: backend.name,
      apply: (items, options = {}) => target.apply(compile(items), { timeoutMs: (options.timeoutSeconds ?? 150) * 1000 }),
      status: (items) => target.status(compile(items)),
      destroy: (items, options = {}) => target.destroy(compile(items), { volumes: options.volumes ?? false }),
      logTail: (resource, lines = 10) => target.logTail(namespace, resource, lines),
      logs: async (resource, options = {}) => {
        const lines: string[] = [];
        for await (const line of target.logs({ namespace, resources: [resource], ...(options.previous ? { previous: true } : {}) })) if (line.kind === 'output') lines.push(line.text);
        return lines;
      },
      waitFor: (items, resource, what, until, timeoutSeconds = 90) => waitForReport(() => target.status(compile(items)), resource, `${namespace}/${resource}: ${what}`, until, timeoutSeconds),
    };
    let outcome = 'failed';
    try {
      await scenario.run(stage);
      outcome = 'passed';
    } finally {
      results.push(`  ${backend.name.padEnd(10)} ${outcome.padEnd(6)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${scenario.name}`);
      await backend.close(scenario.name);
    }
  }, 300_000);
});

async function waitForReport(read: () => Promise<{ resources: ResourceReport[] }>, name: string, what: string, until: (r: ResourceReport) => boolean, timeoutSeconds: number): Promise<ResourceReport> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last: ResourceReport | undefined;
  for (;;) {
    last = (await read()).resources.find((r) => r.name === name);
    if (last && until(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutSeconds}s waiting for ${what}; last: ${JSON.stringify(last && { ready: last.ready, reason: last.reason, restarts: last.restarts, message: last.message })}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

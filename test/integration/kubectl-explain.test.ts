// `kubectl explain` against the real apiserver: the CRDs' descriptions (generated from the zod
// schemas, the same text as the SDK's editor hints) are what users read when they discover a
// field, with units and defaults.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, repoRoot } from '../harness/index.ts';
import { ensureCrds } from './operator/support.ts';

beforeAll(async () => {
  await ensureCrds();
}, 120_000);

const explain = async (path: string) => (await kubectl(['explain', path])).stdout;
/** explain wraps descriptions at 80 columns: compare words, not lines. */
const words = (text: string) => text.replace(/\s+/g, ' ');

describe('kubectl explain', () => {
  test('clockworkresources.spec.readiness reads like documentation: what it is, each field with its unit and default', async () => {
    const out = words(await explain('clockworkresources.spec.readiness'));
    expect(out).toContain('FIELD: readiness <Object>');
    expect(out).toContain('DESCRIPTION: How to tell that the workload is ready, in the shape of a Kubernetes readiness probe: exactly one of httpGet, tcpSocket or exec. Without it, the workload is ready once it runs.');
    for (const field of [
      'exec <Object> Ready when a command run in the container exits 0.',
      'httpGet <Object> Ready when an HTTP GET of the container answers 200-399.',
      'tcpSocket <Object> Ready when the port accepts a TCP connection.',
      'initialDelaySeconds <integer> Seconds after the start before the first check (default 0).',
      'periodSeconds <integer> Seconds between checks once Ready (default 10).',
      'timeoutSeconds <integer> Seconds one check may take before it counts as failed (default 1).',
      'failureThreshold <integer> Failed checks in a row that turn a Ready workload not Ready (default 3).',
      'successThreshold <integer> Successful checks in a row that turn the workload Ready (default 1).',
    ])
      expect(out).toContain(field);
  });

  test("the text is the SDK's: the JSDoc of ReadinessSpec.periodSeconds says the same", async () => {
    const out = words(await explain('clockworkresources.spec.readiness.periodSeconds'));
    // The JSDoc text without its comment markers.
    const types = words(readFileSync(join(repoRoot, 'sdk/src/api/types.generated.ts'), 'utf8').replace(/\/\*\*|\*\/|^\s*\*(?!\/)/gm, ' '));
    const description = /DESCRIPTION: (.*?)\s*$/.exec(out)![1]!;
    expect(description).toBe('Seconds between checks once Ready (default 10). On Docker, checks run every 100 ms until the first success.');
    expect(types).toContain(` ${description} periodSeconds?: number;`);
  });

  test('the apiserver publishes a description for every field of both kinds (what explain prints)', async () => {
    const doc = JSON.parse((await kubectl(['get', '--raw', '/openapi/v3/apis/clockwork.dev/v1alpha1'])).stdout);
    const schemas = doc.components.schemas as Record<string, any>;
    const missing: string[] = [];
    let checked = 0;
    const visit = (node: any, path: string) => {
      for (const [key, child] of Object.entries<any>(node?.properties ?? {})) {
        if (key === 'metadata') continue; // ObjectMeta, documented by the apiserver itself
        checked++;
        if (!child.description) missing.push(`${path}.${key}`);
        visit(child, `${path}.${key}`);
      }
      if (node?.items) visit(node.items, `${path}[]`);
    };
    for (const kind of ['Resource', 'Composite']) visit(schemas[`dev.clockwork.v1alpha1.${kind}`], kind);
    expect(checked).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  test('clockworkcomposites.status explains the roll-up and the Stalled condition', async () => {
    const out = words(await explain('clockworkcomposites.status'));
    expect(out).toContain('conditions <[]Object> Ready when every Resource below the Composite is Ready; Stalled while one of them is.');
    expect(out).toContain("observedGeneration <integer> The metadata.generation the operator last reconciled; 0 until it has seen the object.");
  });
});

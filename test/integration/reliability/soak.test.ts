// The quick soak of `make test` (the long one is `make soak`): 200 Resources, 3 waves 20 s apart,
// each changing 10% and deleting and recreating another 10%. Memory flat after the first wave,
// no growing errors, the queue drained after each wave, requests proportional to the changes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { formatSoak, runSoak, soakProblems } from '../../soak/soak-run.ts';
import { deleteNamespaces, ensureCrds, newNamespace, report } from './support.ts';

const namespaces: string[] = [];

beforeAll(async () => {
  await ensureCrds();
}, 90_000);

afterAll(async () => {
  await deleteNamespaces(namespaces);
}, 90_000);

describe('soak (quick)', () => {
  test('200 Resources, 3 waves of changes 20 s apart: memory flat, errors flat, queue drains, requests proportional', async () => {
    const namespace = await newNamespace('soak');
    namespaces.push(namespace);
    const figures = await runSoak({ namespace, resources: 200, waves: 3, intervalMs: 20_000, fraction: 0.1, layers: 4, idleMs: 5000, log: (l) => report(`soak ${l}`) });
    report(`soak figures:\n${formatSoak(figures)}`);
    expect(soakProblems(figures)).toEqual([]);
    // A wave converges in ~10 s on an idle 2-core machine; the bound only catches a stuck one.
    for (const w of figures.waves) expect(w.convergeMs).toBeLessThan(60_000);
  }, 240_000);
});

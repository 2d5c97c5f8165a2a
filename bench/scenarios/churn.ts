// Scenario 4: delete 10% of the scale scenario's Pods behind the operator's back (as a node
// failure or a `kubectl delete pod` would): time until each is re-created and Ready and every
// Resource is Ready again.
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../context.ts';
import { countRequests, flushAudit, log, OPERATOR_USER } from '../env.ts';
import { pool } from '../kube.ts';
import { round } from '../stats.ts';
import { until } from '../tracker.ts';

export async function runChurn(ctx: Ctx, ns: string, names: string[]): Promise<Record<string, unknown>> {
  const victims = names.filter((_, i) => i % 10 === 5);
  const oldUid = new Map(victims.map((n) => [n, ctx.pods.get(ns, n)!.uid]));
  log(`churn: deleting ${victims.length} of ${names.length} Pods`);
  const wall0 = Date.now();
  const t0 = performance.now();
  await pool(victims, 16, (n) => ctx.kube.req('DELETE', `/api/v1/namespaces/${ns}/pods/${n}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }, { allow: [404] }));
  const deleted = performance.now();
  const fresh = (n: string) => {
    const p = ctx.pods.get(ns, n);
    return p && p.uid !== oldUid.get(n) ? p : undefined;
  };
  await until(`${victims.length} Pods re-created and Ready`, () => victims.every((n) => fresh(n)?.ready), 300_000, 10);
  const podsReady = performance.now();
  const tDone = await until('every Resource Ready again', () => names.every((n) => ctx.resources.get(ns, n)?.ready), 300_000, 10);
  const recreated = Math.max(...victims.map((n) => fresh(n)!.addedAt));
  const podsReadyAt = Math.max(...victims.map((n) => fresh(n)!.firstReadyAt!));
  // Resources whose Ready turned False after the deletion: Ready again when?
  const flipped = names.map((n) => ctx.resources.get(ns, n)!).filter((s) => (s.lastNotReadyAt ?? 0) > t0);
  const resReadyAgain = Math.max(tDone - 1000, ...flipped.map((s) => s.lastReadyAt ?? 0));
  void podsReady;
  await new Promise((r) => setTimeout(r, 2000));
  const wall1 = Date.now();
  await flushAudit(wall1);
  const req = countRequests(OPERATOR_USER, wall0, wall1);
  const recovery = Math.max(podsReadyAt, resReadyAgain, ...flipped.map((s) => s.lastReadyAt ?? 0)) - t0;
  log(`churn: recovered in ${(recovery / 1000).toFixed(2)} s (${flipped.length} Resources went not-Ready)`);
  return {
    podsDeleted: victims.length,
    deleteSeconds: round((deleted - t0) / 1000, 2),
    recreatedSeconds: round((recreated - t0) / 1000, 2),
    recoverySeconds: round(recovery / 1000, 2),
    resourcesFlippedNotReady: flipped.length,
    writesPerDeletedPod: round(req.writes / victims.length, 2),
    requests: req.byResource,
  };
}

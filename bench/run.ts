// Clockwork benchmark: `node bench/run.ts [--quick] [--only cli,docker,compose,chain,peer,scale,memory,churn]`.
// Starts its own kwok cluster (.cluster-bench/, with an apiserver audit log), runs the operator as a
// separate process, prints a table and writes bench/results/<date>.json and latest.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kubectl, repoRoot } from '../test/harness/index.ts';
import type { Ctx } from './context.ts';
import { cleanupAll, installSignalHandlers, stopProcesses, KRO_USER, log, OPERATOR_USER, startBenchCluster, startOperator, userKubeconfig } from './env.ts';
import { loadKube } from './kube.ts';
import { runChainScenario } from './scenarios/chain-scenario.ts';
import { runChurn } from './scenarios/churn.ts';
import { runCli } from './scenarios/cli.ts';
import { runCompose } from './scenarios/compose.ts';
import { runDocker } from './scenarios/docker.ts';
import { runMemory } from './scenarios/memory.ts';
import { runPeer } from './scenarios/peer.ts';
import { runScale } from './scenarios/scale.ts';
import { Collection } from './tracker.ts';
import { markdown, printTable } from './table.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const only = new Set((onlyArg ?? 'cli,docker,compose,chain,peer,scale,churn,memory').split(','));
const want = (s: string) => only.has(s);
// --workers N: the operator's --workers (default: the operator's own default).
const workersArg = argv.find((a) => a.startsWith('--workers='))?.slice(10);
const workers = workersArg ? Number(workersArg) : undefined;

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'sdk', 'operator'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

/** Starts a fresh bench cluster with the CRDs and the bench's watches, runs fn, tears it all down. */
async function withCluster(fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  log('starting a bench cluster (.cluster-bench/, kwok, audit log on)');
  const { info, stop } = await startBenchCluster();
  await kubectl(['apply', '--server-side', '-f', join(repoRoot, 'crds')]);
  // A CRD just created may have no status yet ("accessor error: <nil>"): kubectl wait then fails at once, so ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/clockworkresources.clockwork.dev', 'crd/clockworkcomposites.clockwork.dev']);
      break;
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const kube = loadKube(info.kubeconfig);
  const ctx: Ctx = {
    kube,
    quick,
    resources: new Collection(kube, '/apis/clockwork.dev/v1alpha1/clockworkresources'),
    pods: new Collection(kube, '/api/v1/pods'),
    operatorKubeconfig: await userKubeconfig(info, OPERATOR_USER),
    kroKubeconfig: await userKubeconfig(info, KRO_USER),
  };
  await Promise.all([ctx.resources.start(), ctx.pods.start()]);
  try {
    await fn(ctx);
  } finally {
    ctx.resources.stop();
    ctx.pods.stop();
    kube.close();
    await stopProcesses();
    await stop();
  }
}

async function main(): Promise<void> {
  installSignalHandlers();
  const t0 = performance.now();
  const results: Record<string, any> = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    commit: gitCommit(),
    machine: { loadAverageStart: loadavg().map((x) => Math.round(x * 100) / 100), cores: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version },
  };

  // What the bin and the operator run: the precompiled JavaScript (incremental: quick when current).
  execFileSync(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });

  // The CLI and Docker first, on a quiet machine (no cluster running yet).
  if (want('cli')) results.cli = await runCli(quick);
  if (want('docker')) results.docker = await runDocker(quick);
  if (want('compose')) results.compose = await runCompose(quick);

  // Full mode: cluster A for latency (chain) and the side-by-side with kro, cluster B for
  // throughput, churn and memory — two fresh clusters (about 15 s each to start) instead of deleting
  // thousands of objects. Quick mode: one cluster for everything.
  const latency = async (ctx: Ctx) => {
    const op = await startOperator(ctx.operatorKubeconfig, workers);
    if (want('chain')) results.chain = (await runChainScenario(ctx, op.pid)).summary;
    if (want('peer')) results.peer = (await runPeer(ctx, op.pid)).summary;
    await op.stop();
  };
  const throughput = async (ctx: Ctx) => {
    const op = await startOperator(ctx.operatorKubeconfig, workers);
    const scale = await runScale(ctx, op);
    results.scale = scale.summary;
    if (want('churn')) results.churn = await runChurn(ctx, scale.namespace, scale.resourceNames);
    if (want('memory')) {
      // The full run stays under 15 minutes: memory gets what is left of a 14-minute budget.
      const budgetMs = Math.max(quick ? 20_000 : 60_000, (quick ? 110_000 : 840_000) - (performance.now() - t0) - 15_000);
      results.memory = await runMemory(ctx, op, { resources: scale.summary.resources, composites: scale.summary.composites }, budgetMs);
    }
    await op.stop();
  };
  const wantLatency = want('chain') || want('peer');
  const wantThroughput = want('scale') || want('churn') || want('memory');
  if (quick) {
    if (wantLatency || wantThroughput)
      await withCluster(async (ctx) => {
        if (wantLatency) await latency(ctx);
        if (wantThroughput) await throughput(ctx);
      });
  } else {
    if (wantLatency) await withCluster(latency);
    if (wantThroughput) await withCluster(throughput);
  }
  results.machine.loadAverageEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  await cleanupAll();
  results.durationSeconds = Math.round((performance.now() - t0) / 100) / 10;

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = results.date.replace(/[:]/g, '-').replace(/\..*/, '');
  const text = `${JSON.stringify(results, null, 2)}\n`;
  // A partial run (--only) gets its own file and leaves the latest full figures alone.
  const partial = onlyArg ? `-only-${[...only].join('-')}` : '';
  const file = join(dir, `${stamp}${quick ? '-quick' : ''}${partial}.json`);
  writeFileSync(file, text);
  if (!partial) {
    writeFileSync(join(dir, quick ? 'latest-quick.json' : 'latest.json'), text);
    writeFileSync(join(dir, quick ? 'latest-quick.md' : 'latest.md'), `${markdown(results)}\n`);
  }
  printTable(results);
  log(`wrote ${file} (${results.durationSeconds} s)`);
}

main().catch(async (e) => {
  log(`FAILED: ${(e as Error).stack ?? e}`);
  await cleanupAll();
  process.exit(1);
});

// The Go tools the tests run (test/tools/build.sh): built from the Go module proxy once, cached
// under ~/.cache/clockwork/<tool>-<version>/ like the cluster binaries.
import { join } from 'node:path';
import { repoRoot, run } from './exec.ts';

export type GoTool = 'helm' | 'kstatus';

/** The path of the tool's binary, built first when it is not cached yet (Helm: several minutes). */
export async function goTool(tool: GoTool): Promise<string> {
  const r = await run('bash', [join(repoRoot, 'test/tools/build.sh'), tool], { timeoutMs: 3_600_000, echo: true });
  const path = r.stdout.trim().split('\n').at(-1);
  if (!path) throw new Error(`test/tools/build.sh ${tool} printed no path`);
  return path;
}

/** How one object reads through kstatus (test/tools/kstatus): kapply's library and Helm 4's / Flux's. */
export interface KstatusResult {
  object: string;
  found: boolean;
  kapply?: { status: string; message: string };
  flux?: { status: string; message: string };
}

/** Runs the kstatus reader against `plural/name` objects of one namespace. */
export async function kstatus(options: { binary: string; kubeconfig: string; namespace: string; objects: readonly string[] }): Promise<KstatusResult[]> {
  const r = await run(options.binary, ['--kubeconfig', options.kubeconfig, '--namespace', options.namespace, ...options.objects], { timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as KstatusResult[];
}

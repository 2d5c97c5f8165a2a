import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { RefreshFilesOptions, RefreshFilesResult } from '../target.ts';
import { execInPod } from './pod-exec.ts';

const POLL_MS = 250;

/**
 * Files updated in place in a Resource's Pod: the operator changed the ConfigMap and nudged the
 * kubelet, which rewrites the mounted directory. Read back through `pods/exec` (`cat`) until
 * they are as given, then the reload — a signal sent with `kill` to the container's main
 * process (PID 1), or the command — with the caller's credentials.
 */
export async function refreshPodFiles(config: KubeConfig, options: RefreshFilesOptions): Promise<RefreshFilesResult> {
  const { namespace, resource: pod } = options;
  const core = config.makeApiClient(CoreV1Api);
  const instance = (await core.readNamespacedPod({ namespace, name: pod })).metadata?.uid;
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 120_000);
  let liveAfterMs: number | undefined;
  while (!options.signal?.aborted) {
    const seen = await Promise.all(options.files.map((f) => execInPod(config, namespace, pod, ['cat', f.mountPath]).then((r) => (r.exitCode === 0 ? r.stdout : undefined))));
    if (seen.every((content, i) => content === options.files[i]!.content)) {
      liveAfterMs = Math.round(performance.now() - started);
      break;
    }
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const base = { ...(instance ? { instance } : {}), ...(liveAfterMs !== undefined ? { liveAfterMs } : {}) };
  if (!options.reload || liveAfterMs === undefined) return base;
  const command = options.reload.signal ? ['sh', '-c', `kill -${options.reload.signal.replace(/^SIG/, '')} 1`] : options.reload.exec!;
  const result = await execInPod(config, namespace, pod, command);
  const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-3).join(' | ');
  const what = options.reload.signal ? `${options.reload.signal} sent` : command.join(' ');
  return { ...base, reloaded: result.exitCode === 0 && options.reload.signal ? what : `${what}: exit code ${result.exitCode}${output ? ` (${output})` : ''}` };
}

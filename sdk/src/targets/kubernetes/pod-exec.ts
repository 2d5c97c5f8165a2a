import { PassThrough } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { WORKLOAD_CONTAINER_NAME } from '../../api/index.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a Resource's container through `pods/exec`, with the caller's credentials
 * (the operator is never given exec rights). Resolves with the exit code once the command ends.
 */
export async function execInPod(config: KubeConfig, namespace: string, pod: string, command: string[], timeoutMs = 30_000): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  let finish: (status: V1Status) => void = () => undefined;
  const finished = new Promise<V1Status>((resolve) => (finish = resolve));
  const socket = await new Exec(config).exec(namespace, pod, WORKLOAD_CONTAINER_NAME, command, stdout, stderr, null, false, (status) => finish(status));
  let timer: NodeJS.Timeout | undefined;
  const status = await Promise.race([
    finished,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${command.join(' ')} in pod ${namespace}/${pod}: no answer within ${timeoutMs} ms`)), timeoutMs))),
  ]).finally(() => {
    clearTimeout(timer);
    socket.close();
  });
  if (status.status === 'Success') return { exitCode: 0, stdout: out, stderr: err };
  const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (code === undefined) throw new Error(`${command.join(' ')} in pod ${namespace}/${pod}: ${status.message ?? status.reason ?? 'failed'}`);
  return { exitCode: Number(code), stdout: out, stderr: err };
}

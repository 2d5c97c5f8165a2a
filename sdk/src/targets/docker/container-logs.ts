import type Docker from 'dockerode';
import { MAX_READ_BYTES } from '../../assertions/index.ts';
import { demuxLogs } from './log-frames.ts';

/** What a container wrote, all of it or in the last `sinceSeconds` before `nowMs`: the first MAX_READ_BYTES, as the operator reads a Pod log (limitBytes). */
export async function logSince(container: Docker.Container, sinceSeconds: number | undefined, nowMs: number): Promise<string> {
  return demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false, ...(sinceSeconds ? { since: Math.floor(nowMs / 1000) - sinceSeconds } : {}) })).slice(0, MAX_READ_BYTES);
}

import type Docker from 'dockerode';
import { MAX_READ_BYTES } from '../../assertions/index.ts';
import { demuxLogs, lastLines } from './log-frames.ts';

/** What a container wrote, all of it or in the last `sinceSeconds` before `nowMs`: the first MAX_READ_BYTES, as the operator reads a Pod log (limitBytes). */
export async function logSince(container: Docker.Container, sinceSeconds: number | undefined, nowMs: number): Promise<string> {
  return demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false, ...(sinceSeconds ? { since: Math.floor(nowMs / 1000) - sinceSeconds } : {}) })).slice(0, MAX_READ_BYTES);
}

/** The last `count` lines a container wrote (stdout and stderr as written); none when unreadable. */
export async function tailLog(container: Docker.Container, count: number): Promise<string[]> {
  try {
    return lastLines(demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false, tail: count })), count);
  } catch {
    // A log that cannot be read only shortens a failure message.
    return [];
  }
}

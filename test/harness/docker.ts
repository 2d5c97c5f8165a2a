// Local Docker engine and test images (nothing can be pulled: images are built locally).
import { dockerUpScript, run, testImagesScript, type RunOptions, type RunResult } from './exec.ts';

/** Test images built by test/docker/build-test-images.sh; use with pull policy "never"/IfNotPresent. */
export const testImages = {
  /** busybox-static rootfs: sh, httpd, nc, sleep, wget, ... (CMD /bin/sh, runs as root unless told). */
  busybox: 'clockwork-test/busybox:1',
  /** The real node's sandbox (pause) image. */
  pause: 'clockwork-test/pause:1',
} as const;

/** Starts the Docker engine when none answers (installs docker.io when missing). */
export async function dockerUp(): Promise<void> {
  await run('bash', [dockerUpScript], { echo: true, timeoutMs: 600_000 });
}

/** Builds the test images that are not there yet. */
export async function buildTestImages(): Promise<void> {
  await run('bash', [testImagesScript], { echo: true, timeoutMs: 600_000 });
}

/** Runs the docker CLI; rejects with CommandError on a non-zero exit unless allowFailure. */
export function docker(args: readonly string[], opts: Omit<RunOptions, 'echo'> = {}): Promise<RunResult> {
  return run('docker', args, { timeoutMs: 120_000, ...opts });
}

import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompiledStack } from '../stack/compile.ts';
import { reviveStack, type LoadRequest, type LoadResponse } from './serialized-stack.ts';
import { siblingModule } from '../api/sibling-module.ts';

export type FreshStack = { ok: true; stack: CompiledStack; watched: string[] } | { ok: false; error: string; watched: string[] };

/** A stack file whose top level never finishes is reported, not waited for. */
const LOAD_TIMEOUT_MS = 60_000;

/**
 * Loads and compiles a stack file as it is on disk now, in a fresh worker thread each time (so
 * an edited module is imported again, not served from the module cache), and lists the files to
 * watch: the stack file, the project modules it imports and the files it reads. The next worker
 * is started as soon as one is used, so that a save pays only for the user's own modules.
 * Images are not mapped here (the caller applies --image-map).
 */
export class FreshLoader {
  #next: Promise<Worker> | undefined;

  /** One load of `request.file`; never rejects (a load that fails says why). */
  async load(request: LoadRequest): Promise<FreshStack> {
    const worker = await (this.#next ?? spawn());
    this.#next = spawn();
    const file = resolve(request.file);
    return new Promise<FreshStack>((done) => {
      const timer = setTimeout(() => finish({ ok: false, error: `${request.file}: did not finish loading within ${LOAD_TIMEOUT_MS / 1000}s`, watched: [file] }), LOAD_TIMEOUT_MS);
      let settled = false;
      function finish(result: FreshStack) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        done(result);
      }
      worker.once('message', (response: LoadResponse) => finish(response.ok ? { ok: true, stack: reviveStack(response.stack), watched: response.watched } : response));
      worker.once('error', (error: Error) => finish({ ok: false, error: `${request.file}: ${error.message}`, watched: [file] }));
      worker.once('exit', (code) => finish({ ok: false, error: `${request.file}: the loader stopped (exit code ${code}) before the stack was compiled`, watched: [file] }));
      worker.postMessage(request);
    });
  }

  /** Stops the worker kept ready. */
  async close(): Promise<void> {
    const next = this.#next;
    this.#next = undefined;
    if (next) await (await next.catch(() => undefined))?.terminate();
  }
}

/** A worker that has imported the SDK and waits for its one request. */
function spawn(): Promise<Worker> {
  const worker = new Worker(siblingModule('./load-stack-worker', import.meta.url));
  // A spare worker must not keep the process alive on its own.
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', () => {
      worker.ref();
      resolve(worker);
    });
    worker.once('error', reject);
  });
}

import { ClockworkError } from '../api/index.ts';
import { Worker } from 'node:worker_threads';
import type { RegexAnswer, RegexJob } from './regex-worker.ts';
import { siblingModule } from '../api/sibling-module.ts';

/**
 * The longest a user regex may run on one input before its check fails. Sensible patterns take
 * a few ms on the 1 MiB most (a body, a log) is cut to; this bounds what a hostile one costs.
 */
export const REGEX_BUDGET_MS = 250;
/** How long a new worker may take to load (a loaded 2-core machine takes a second or two). */
const WORKER_START_MS = 15_000;

/** A regex that ran past its budget (the worker running it was stopped). */
export class RegexBudgetError extends ClockworkError {
  constructor(ms: number, inputBytes: number) {
    super(`the regular expression ran longer than ${ms} ms on ${inputBytes} bytes; simplify it`);
  }
}

interface Queued extends Omit<RegexJob, 'id'> {
  budgetMs: number;
  resolve: (matched: boolean) => void;
  reject: (error: Error) => void;
}

/**
 * Evaluates user regular expressions (bodyMatches, logContains.regex) with RE2 semantics
 * (re2js: no backtracking, time linear in the input) in a worker thread, one at a time, each
 * within a time budget. Linear is not small (a 20-character pattern with counted repetitions
 * over 64 KiB takes seconds in re2js), so the main thread never runs them: whatever a pattern
 * does, the operator's event loop (leases, /healthz, every other namespace) goes on.
 */
export class UserRegexRunner {
  #worker: { thread: Worker; online: Promise<void> } | undefined;
  #queue: Queued[] = [];
  #busy = false;
  #nextId = 1;

  test(pattern: string, input: string, o: { multiline?: boolean; budgetMs?: number } = {}): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ pattern, input, multiline: o.multiline ?? false, budgetMs: o.budgetMs ?? REGEX_BUDGET_MS, resolve, reject });
      this.#next();
    });
  }

  /** Stops the worker (tests; the process exits without it: the worker is unref'd). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.thread.terminate();
  }

  #next(): void {
    if (this.#busy) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#busy = true;
    let started: { thread: Worker; online: Promise<void> };
    try {
      started = this.#ensureWorker();
    } catch (error) {
      // No worker (a thread that cannot be made): this job fails, the queue goes on.
      this.#busy = false;
      job.reject(error as Error);
      this.#next();
      return;
    }
    const { thread, online } = started;
    // Holds the process open only while a job is pending (an idle worker must not keep a CLI alive).
    thread.ref();
    // The budget starts when the worker can run the job, not while it starts up.
    online.then(
      () => this.#run(thread, job),
      (error: Error) => {
        this.#worker = undefined;
        this.#busy = false;
        job.reject(error);
        this.#next();
      },
    );
  }

  #run(worker: Worker, job: Queued): void {
    const id = this.#nextId++;
    const done = (settle: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      this.#busy = false;
      if (this.#queue.length === 0) worker.unref();
      settle();
      this.#next();
    };
    const onMessage = (answer: RegexAnswer) => {
      if ('ready' in answer || answer.id !== id) return;
      done(() => ('error' in answer ? job.reject(new Error(`invalid regular expression (RE2 syntax): ${answer.error}`)) : job.resolve(answer.matched)));
    };
    const onError = (error: Error) => {
      this.#worker = undefined;
      done(() => job.reject(error));
    };
    const timer = setTimeout(() => {
      // The only way to stop a running match: end the worker; the next job gets a new one.
      this.#worker = undefined;
      void worker.terminate();
      done(() => job.reject(new RegexBudgetError(job.budgetMs, Buffer.byteLength(job.input))));
    }, job.budgetMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ id, pattern: job.pattern, multiline: job.multiline, input: job.input } satisfies RegexJob);
  }

  #ensureWorker(): { thread: Worker; online: Promise<void> } {
    if (!this.#worker) {
      // A heap limit too: a pattern cannot grow the operator's memory through its worker.
      const thread = new Worker(siblingModule('./regex-worker', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 96 } });
      thread.unref();
      const online = new Promise<void>((resolve, reject) => {
        // A worker that never says it is ready must not hold every regex check for ever.
        const deadline = setTimeout(() => {
          reject(new Error(`the regex worker did not start within ${WORKER_START_MS} ms`));
          void thread.terminate();
        }, WORKER_START_MS);
        deadline.unref();
        const onReady = (m: RegexAnswer) => {
          if (!('ready' in m)) return;
          thread.off('message', onReady);
          clearTimeout(deadline);
          resolve();
        };
        thread.on('message', onReady);
        thread.once('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
        thread.once('exit', (code) => {
          clearTimeout(deadline);
          reject(new Error(`the regex worker exited (${code}) before it was ready`));
        });
      });
      const entry = { thread, online };
      thread.on('exit', () => {
        if (this.#worker === entry) this.#worker = undefined;
      });
      this.#worker = entry;
    }
    return this.#worker;
  }
}

/** The process's runner: every assertion of every Resource shares one worker. */
export const userRegexes = new UserRegexRunner();

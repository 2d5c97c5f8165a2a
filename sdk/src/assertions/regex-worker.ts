// Runs user regular expressions off the main thread (see user-regex.ts): RE2 semantics, so
// linear in the input, and any that still runs long is cut off by terminating this worker.
import { parentPort } from 'node:worker_threads';
import { RE2JS } from 're2js';

export interface RegexJob {
  id: number;
  pattern: string;
  multiline: boolean;
  input: string;
}
export type RegexAnswer = { id: number; matched: boolean } | { id: number; error: string } | { ready: true; id?: undefined };

const compiled = new Map<string, RE2JS>();

function compile(pattern: string, multiline: boolean): RE2JS {
  const key = `${multiline ? 'm' : '-'}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = RE2JS.compile(pattern, multiline ? RE2JS.MULTILINE : 0);
    if (compiled.size >= 256) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, re);
  }
  return re;
}

parentPort?.on('message', (job: RegexJob) => {
  let answer: RegexAnswer;
  try {
    answer = { id: job.id, matched: compile(job.pattern, job.multiline).matcher(job.input).find() };
  } catch (error) {
    answer = { id: job.id, error: (error as Error).message };
  }
  parentPort!.postMessage(answer);
});
// Loaded and listening: the runner starts a job's budget only now.
parentPort?.postMessage({ ready: true });

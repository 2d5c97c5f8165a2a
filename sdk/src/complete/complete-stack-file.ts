import { existsSync } from 'node:fs';
import { completeStack, missingFields, type ResourceCompletion } from './complete-stack.ts';
import { CompletionError } from './completion-error.ts';
import type { CompletedFields } from './completion-schema.ts';
import { lockFilePath, readLockFile, writeLockFile } from './lock-file.ts';
import { openAIModel, type CompletionModel } from './openai-client.ts';
import { walkStack } from './stack-walk.ts';
import type { Resource } from '../stack/resource.ts';

export interface CompleteFileOptions {
  /** Ask the model where the lock has no matching entry. Without it, the lock file only. */
  complete?: boolean | undefined;
  /** Ask the model again for every Resource that needs completion. Implies `complete`. */
  refresh?: boolean | undefined;
  /** Drop lock entries of Resources that no longer ask for completion (`clockwork complete` does). */
  prune?: boolean | undefined;
  /** `--model`; falls back to CLOCKWORK_MODEL. */
  model?: string | undefined;
  /** Where OPENAI_BASE_URL, OPENAI_API_KEY and CLOCKWORK_MODEL are read; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  maxAttempts?: number | undefined;
  /** Replaces the OpenAI-compatible client (tests, other providers). */
  connect?: (() => Promise<CompletionModel>) | undefined;
  onCompleted?: ((completion: ResourceCompletion) => void) | undefined;
}

export interface FileCompletion {
  completions: ReadonlyMap<Resource, CompletedFields>;
  completed: ResourceCompletion[];
  /** The lock file next to the stack file, and whether this run wrote it. */
  lockFile: string;
  wroteLock: boolean;
  /** Resources whose stale lock entries were dropped (with `prune`). */
  pruned: string[];
}

/**
 * Completes the Resources of a stack file from the lock file next to it (`clockwork.lock.json`),
 * asking the model only with `complete` or `refresh`. New answers are saved even when another
 * Resource fails, then a CompletionError lists every Resource left incomplete.
 * A stack that needs no completion never touches the lock file, except to prune it.
 */
export async function completeStackFile(file: string, items: readonly unknown[], options: CompleteFileOptions = {}): Promise<FileCompletion> {
  const lockFile = lockFilePath(file);
  if (!walkStack(items).resources.some((r) => missingFields(r).length > 0) && !(options.prune && existsSync(lockFile)))
    return { completions: new Map(), completed: [], lockFile, wroteLock: false, pruned: [] };
  const ask = options.complete || options.refresh;
  const connect = options.connect ?? (() => openAIModel({ model: options.model, ...(options.env ? { env: options.env } : {}) }));
  const result = await completeStack(items, {
    lock: readLockFile(lockFile),
    model: ask ? connect : undefined,
    refresh: Boolean(options.refresh),
    prune: Boolean(options.prune),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.onCompleted ? { onCompleted: options.onCompleted } : {}),
  });
  if (result.lockChanged) writeLockFile(lockFile, result.lock);
  if (result.problems.length) throw new CompletionError(result.problems, file);
  return { completions: result.completions, completed: result.completed, lockFile, wroteLock: result.lockChanged, pruned: result.pruned };
}

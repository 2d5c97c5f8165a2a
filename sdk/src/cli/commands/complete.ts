import { relative } from 'node:path';
import { completeStackFile, type CompleteFileOptions } from '../../complete/complete-stack-file.ts';
import { compileStack } from '../../stack/compile.ts';
import { loadStackFile } from '../../stack/load.ts';
import { StackValidationError } from '../../stack/validation-error.ts';
import type { Output } from '../output.ts';

export interface CompleteOptions extends Pick<CompleteFileOptions, 'model' | 'env' | 'maxAttempts' | 'connect'> {
  file: string;
  /** Ask again even where the lock file has a matching entry. */
  refresh?: boolean;
}

/**
 * `clockwork complete`: asks the model for the fields that Resources leave out (where the lock
 * file has no matching entry), validates the stack with them, and records them in
 * `clockwork.lock.json` next to the stack file.
 */
export async function complete(options: CompleteOptions, io: Output): Promise<number> {
  const items = await loadStackFile(options.file);
  const result = await completeStackFile(options.file, items, {
    ...options,
    complete: true,
    prune: true,
    onCompleted: (c) => io.out(`${c.name}: ${c.fields.join(', ')} ${c.source === 'lock' ? 'from the lock file' : `from ${c.model}`}\n`),
  });
  try {
    compileStack(items, { completions: result.completions });
  } catch (error) {
    if (error instanceof StackValidationError) throw error.withSource(options.file);
    throw error;
  }
  const lock = relative(process.cwd(), result.lockFile) || result.lockFile;
  for (const name of result.pruned) io.out(`${name}: lock entry removed (the Resource no longer asks for completion)\n`);
  if (result.completed.length === 0) io.out('nothing to complete: every Resource sets its image\n');
  if (result.completed.length > 0 || result.wroteLock) io.out(result.wroteLock ? `wrote ${lock}\n` : `${lock} is up to date\n`);
  return 0;
}

import { completeStackFile, type CompleteFileOptions } from '../complete/complete-stack-file.ts';
import { compileStack, type CompiledStack } from '../stack/compile.ts';
import { loadStackFile } from '../stack/load.ts';
import { StackValidationError } from '../stack/validation-error.ts';
import { withImageMap, type ImageMapOptions } from './image-map-option.ts';

export interface CompileFileOptions extends CompleteFileOptions, ImageMapOptions {
  namespace?: string | undefined;
}

/**
 * Loads and compiles a stack file; validation errors carry the file name. Resources that leave
 * fields to AI completion get them from the lock file next to the stack (`clockwork.lock.json`);
 * only with `complete` (or `refresh`) is a model asked. @throws CompletionError when a Resource
 * still lacks fields, before anything is compiled. Images are then replaced as --image-map /
 * CLOCKWORK_IMAGE_MAP say (reported on stderr).
 */
export async function compileStackFile(file: string, options: CompileFileOptions): Promise<CompiledStack> {
  const items = await loadStackFile(file);
  const { completions } = await completeStackFile(file, items, options);
  try {
    return withImageMap(compileStack(items, { ...(options.namespace ? { namespace: options.namespace } : {}), completions }), options);
  } catch (error) {
    if (error instanceof StackValidationError) throw error.withSource(file);
    throw error;
  }
}

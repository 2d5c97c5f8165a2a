import { compileStack, type CompiledStack } from '../stack/compile.ts';
import { loadStackFile } from '../stack/load.ts';
import { StackValidationError } from '../stack/validation-error.ts';

/** Loads and compiles a stack file; validation errors carry the file name. */
export async function compileStackFile(file: string, options: { namespace?: string | undefined }): Promise<CompiledStack> {
  const items = await loadStackFile(file);
  try {
    return compileStack(items, options.namespace ? { namespace: options.namespace } : {});
  } catch (error) {
    if (error instanceof StackValidationError) throw error.withSource(file);
    throw error;
  }
}

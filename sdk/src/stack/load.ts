import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Composite } from './composite.ts';
import { Resource } from './resource.ts';

/** A stack file that cannot be read or does not export a stack. */
export class StackFileError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'StackFileError';
    this.file = file;
  }
}

/**
 * What a stack file default-exports: an array of Resources and Composites, an object whose
 * values are they, or a single one.
 */
export function stackItems(exported: unknown, file = '<stack>'): unknown[] {
  if (Array.isArray(exported)) return exported;
  if (exported instanceof Resource || exported instanceof Composite) return [exported];
  if (exported !== null && typeof exported === 'object') return Object.values(exported);
  throw new StackFileError(file, `the default export must be an array or object of Resources and Composites (got ${exported === undefined ? 'no default export' : typeof exported})`);
}

/** Imports a TypeScript or JavaScript stack file (Node runs .ts directly) and returns its items. */
export async function loadStackFile(file: string): Promise<unknown[]> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new StackFileError(file, 'no such file');
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    throw new StackFileError(file, `cannot be loaded: ${(error as Error).message}`, { cause: error });
  }
  return stackItems(module.default, file);
}

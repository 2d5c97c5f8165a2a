import { ClockworkError } from '../api/index.ts';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Composite } from './composite.ts';
import { Resource } from './resource.ts';
import { siblingModule } from '../api/sibling-module.ts';

/** A stack file that cannot be read or does not export a stack. */
export class StackFileError extends ClockworkError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
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

/** This copy of the SDK's entry: `.js` when running precompiled (dist/), `.ts` from the sources. */
const OWN_ENTRY = siblingModule('../index', import.meta.url).href;
let ownEntryHooked = false;

/**
 * Makes `import … from 'clockwork'` in stack files load the SDK this program runs, whichever
 * copy the stack file's folder would resolve to (the sources, a build, none at all): the
 * Resources a stack file creates must be the classes the CLI checks them against, and the
 * precompiled CLI must not load the TypeScript sources a second time.
 */
function resolveClockworkToThisCopy(): void {
  if (ownEntryHooked || !module.registerHooks) return;
  ownEntryHooked = true;
  try {
    module.registerHooks({
      resolve: (specifier, context, next) => (specifier === 'clockwork' ? { url: OWN_ENTRY, shortCircuit: true } : next(specifier, context)),
    });
  } catch {
    // A module loader of its own (Jest) refuses hooks and maps 'clockwork' itself.
  }
}

/** Imports a TypeScript or JavaScript stack file (Node runs .ts directly) and returns its items. */
export async function loadStackFile(file: string): Promise<unknown[]> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new StackFileError(file, 'no such file');
  resolveClockworkToThisCopy();
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    throw new StackFileError(file, `cannot be loaded: ${(error as Error).message}${whereItFailed(error)}`, { cause: error });
  }
  return stackItems(module.default, file);
}

/**
 * Where a stack module failed to load: a syntax error's file, line and the line itself (Node
 * puts them before the message in the stack), or the first frame in a file of the project.
 */
function whereItFailed(error: unknown): string {
  const stack = (error as Error).stack ?? '';
  const here = (url: string) => (url.startsWith('file://') ? relative(process.cwd(), fileURLToPath(url)) : url);
  const header = /^(file:\/\/\S+?):(\d+)\n([\s\S]*?)\n\n/.exec(stack);
  if (header) return `\n  at ${here(header[1]!)}:${header[2]}\n${header[3]!.split('\n').map((l) => `  ${l}`).join('\n')}`;
  const frame = stack.split('\n').map((l) => /\((file:\/\/[^)]+)\)|at (file:\/\/\S+)/.exec(l)).find((m) => m && !(m[1] ?? m[2])!.includes('/node_modules/'));
  return frame ? `\n  at ${here((frame[1] ?? frame[2])!)}` : '';
}

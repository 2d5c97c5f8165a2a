// Runs in a worker thread of its own for each load, so that every load imports the stack file
// and its modules afresh (an ES module is never evaluated twice in one thread). The SDK is
// imported before the request comes (the worker is started ahead of the save), so a load only
// evaluates the user's modules. Records what to watch: each project module resolved while
// loading and each file the stack reads.
import fs from 'node:fs';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { completeStackFile } from '../complete/complete-stack-file.ts';
import { compileStack } from '../stack/compile.ts';
import { loadStackFile } from '../stack/load.ts';
import { StackValidationError } from '../stack/validation-error.ts';
import { serializeStack, type LoadRequest, type LoadResponse } from './serialized-stack.ts';

/** The SDK's own sources and installed packages are not the user's to edit. */
const sdkRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const watched = new Set<string>();
const note = (path: string) => {
  if (path.includes(`${sep}node_modules${sep}`) || path.startsWith(sdkRoot + sep)) return;
  watched.add(path);
};
const notePath = (path: unknown) => {
  if (typeof path === 'string') note(resolve(path));
  else if (path instanceof URL && path.protocol === 'file:') note(fileURLToPath(path));
};

registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    if (result.url.startsWith('file:')) note(fileURLToPath(result.url));
    return result;
  },
});

// Files the stack reads (a prometheus.yml next to it): seen through the fs functions it calls.
const readFileSync = fs.readFileSync;
const readFile = fs.readFile;
const readFilePromise = fs.promises.readFile;
fs.readFileSync = ((path: unknown, ...rest: unknown[]) => (notePath(path), (readFileSync as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.readFileSync;
fs.readFile = ((path: unknown, ...rest: unknown[]) => (notePath(path), (readFile as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.readFile;
fs.promises.readFile = ((path: unknown, ...rest: unknown[]) => (notePath(path), (readFilePromise as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.promises.readFile;
syncBuiltinESMExports();

async function load(request: LoadRequest): Promise<LoadResponse> {
  watched.add(resolve(request.file));
  try {
    const items = await loadStackFile(request.file);
    // The lock file only: a save never asks a model.
    const { completions } = await completeStackFile(request.file, items, {});
    const stack = compileStack(items, { ...(request.namespace ? { namespace: request.namespace } : {}), completions });
    return { ok: true, stack: serializeStack(stack), watched: [...watched] };
  } catch (error) {
    const message = error instanceof StackValidationError ? error.withSource(request.file).message : error instanceof Error ? error.message : String(error);
    return { ok: false, error: message, watched: [...watched] };
  }
}

// What `import … from 'clockwork'` in a stack file loads (client libraries included), loaded now.
await import('../index.ts');
parentPort!.once('message', (request: LoadRequest) => void load(request).then((response) => parentPort!.postMessage(response)));
parentPort!.postMessage('ready');

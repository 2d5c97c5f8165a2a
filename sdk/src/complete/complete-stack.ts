import { formatDependencyRef } from '../api/index.ts';
import { ExternalRef } from '../stack/external.ts';
import type { Resource, ResourceOptions } from '../stack/resource.ts';
import { askModel } from './ask-model.ts';
import { COMPLETABLE_FIELDS, type CompletableField, type CompletedFields } from './completion-schema.ts';
import type { LockEntry, LockFile } from './lock-file.ts';
import type { CompletionModel } from './openai-client.ts';
import { contextHash, type CompletionContext, type DependencyContext } from './prompt.ts';
import { stableStringify } from './stable-json.ts';
import { walkStack, type StackWalk } from './stack-walk.ts';

/**
 * The fields a Resource leaves to completion: it has a description and no image, and then
 * every completable field it leaves out. Empty when the Resource is complete as written.
 */
export function missingFields(resource: Resource): CompletableField[] {
  const own = resource.toOptions();
  if (own.image !== undefined || typeof own.description !== 'string' || own.description.trim() === '') return [];
  return COMPLETABLE_FIELDS.filter((f) => own[f] === undefined);
}

export interface CompleteStackOptions {
  lock: LockFile;
  /** Called at most once, when a Resource has no usable lock entry. Absent: lock only. */
  model?: (() => Promise<CompletionModel>) | undefined;
  /** Ask again even where the lock has a matching entry. */
  refresh?: boolean;
  /** Drop the entries of Resources that no longer ask for completion (gone, or complete as written). */
  prune?: boolean;
  maxAttempts?: number;
  /** Told about each Resource as it is completed. */
  onCompleted?: (completion: ResourceCompletion) => void;
}

export interface ResourceCompletion {
  name: string;
  fields: CompletableField[];
  source: 'lock' | 'model';
  model?: string | undefined;
}

/** A Resource that still lacks fields after completion, and why. */
export interface CompletionProblem {
  name: string;
  /** `webapp/api-service`. */
  path: string;
  fields: CompletableField[];
  reason: string;
}

export interface StackCompletion {
  /** The fields to add to each Resource before compiling (never replacing what the user set). */
  completions: Map<Resource, CompletedFields>;
  completed: ResourceCompletion[];
  problems: CompletionProblem[];
  /** The lock with new entries; `lockChanged` when it differs from the one passed in. */
  lock: LockFile;
  lockChanged: boolean;
  /** With `prune`: the names whose entries were dropped. */
  pruned: string[];
}

/**
 * Fills the missing fields of every Resource that asks for completion: from the lock file
 * when its entry still matches the Resource's inputs, otherwise (and with `refresh`) from the
 * model. Resources are handled in dependency order, so a dependency's completed image and ports
 * are context for its dependents. Never throws for one Resource: problems are returned, so
 * that the caller can save what did complete and then refuse to go on.
 */
export async function completeStack(items: readonly unknown[], options: CompleteStackOptions): Promise<StackCompletion> {
  const lock: LockFile = { version: 1, resources: { ...options.lock.resources } };
  const completions = new Map<Resource, CompletedFields>();
  const completed: ResourceCompletion[] = [];
  const problems: CompletionProblem[] = [];
  let lockChanged = false;
  let model: CompletionModel | undefined;
  let modelError: string | undefined;

  const effective = (r: Resource): ResourceOptions => ({ ...r.toOptions(), ...completions.get(r) });
  const walk = walkStack(items);
  for (const resource of walk.resources) {
    const missing = missingFields(resource);
    if (missing.length === 0) continue;
    const path = [...walk.ancestorsOf(resource).reverse(), resource].map((n) => n.name).join('/');
    // Its context includes what its dependencies expose: without their completion it is unknown.
    const blockedBy = walk.dependenciesOf(resource).filter((d): d is Resource => !(d instanceof ExternalRef) && problems.some((p) => p.name === d.name));
    if (blockedBy.length) {
      problems.push({ name: resource.name, path, fields: missing, reason: `it depends on ${blockedBy.map((d) => d.name).join(', ')}, which ${blockedBy.length === 1 ? 'is' : 'are'} not completed` });
      continue;
    }
    const context = completionContext(walk, resource, missing, effective);
    const inputs = contextHash(context);
    const entry = lock.resources[resource.name];
    const fromLock = !options.refresh && entry?.inputs === inputs ? pick(entry, missing) : undefined;
    const done = (fields: CompletedFields, source: ResourceCompletion) => {
      completions.set(resource, fields);
      completed.push(source);
      options.onCompleted?.(source);
    };
    if (fromLock) {
      done(fromLock, { name: resource.name, fields: missing, source: 'lock', model: entry?.model });
      continue;
    }
    const why = entry === undefined ? 'the lock file has no entry for it' : options.refresh ? 'a refresh was asked for' : 'its lock entry is out of date (its inputs changed)';
    if (!options.model) {
      problems.push({ name: resource.name, path, fields: missing, reason: `${why}, and no model was asked (run \`clockwork complete\`, or pass --complete)` });
      continue;
    }
    if (!model && modelError === undefined) {
      try {
        model = await options.model();
      } catch (error) {
        modelError = (error as Error).message;
      }
    }
    if (!model) {
      problems.push({ name: resource.name, path, fields: missing, reason: `${why}, and ${modelError}` });
      continue;
    }
    try {
      const result = await askModel({ model, context, user: resource.toOptions(), ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
      if (!result.ok) {
        problems.push({
          name: resource.name,
          path,
          fields: missing,
          reason: `the model "${model.model}" gave no valid answer in ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}; the last one had these problems:\n${result.problems.map((p) => `      ${p}`).join('\n')}`,
        });
        continue;
      }
      // Stored and used in the lock file's normal form, so that this run and the next agree.
      const normal = JSON.parse(stableStringify(result.fields)) as Record<string, unknown>;
      const fields = Object.fromEntries(missing.map((f) => [f, normal[f]])) as CompletedFields;
      lock.resources[resource.name] = { inputs, model: model.model, fields };
      lockChanged = true;
      done(fields, { name: resource.name, fields: missing, source: 'model', model: model.model });
    } catch (error) {
      // The endpoint is unreachable or refuses: asking again for the next Resource will not help.
      modelError = `the model "${model.model}" at ${model.endpoint} failed: ${(error as Error).message}`;
      model = undefined;
      problems.push({ name: resource.name, path, fields: missing, reason: `${why}, and ${modelError}` });
    }
  }
  const pruned: string[] = [];
  if (options.prune) {
    const asking = new Set(walk.resources.filter((r) => missingFields(r).length > 0).map((r) => r.name));
    for (const name of Object.keys(lock.resources).sort())
      if (!asking.has(name)) {
        delete lock.resources[name];
        pruned.push(name);
      }
    if (pruned.length) lockChanged = true;
  }
  return { completions, completed, problems, lock, lockChanged, pruned };
}

/** The lock entry's fields when it holds every missing field; only those are used. */
function pick(entry: LockEntry, missing: readonly CompletableField[]): CompletedFields | undefined {
  if (!missing.every((f) => entry.fields[f] !== undefined)) return undefined;
  return Object.fromEntries(missing.map((f) => [f, entry.fields[f]])) as CompletedFields;
}

function completionContext(walk: StackWalk, resource: Resource, missing: CompletableField[], effective: (r: Resource) => ResourceOptions): CompletionContext {
  const { name, description, ...given } = resource.toOptions();
  const dependencies: DependencyContext[] = walk.dependenciesOf(resource).map((dep) => {
    if (dep instanceof ExternalRef) return { name: formatDependencyRef(dep.ref), kind: 'external' };
    const { image, ports } = effective(dep);
    return { name: dep.name, kind: 'Resource', image, ports };
  });
  dependencies.sort((a, b) => a.name.localeCompare(b.name));
  const composites = walk.ancestorsOf(resource).map((c) => ({ name: c.name, description: c.description }));
  return { name, description, given, composites, dependencies, missing };
}

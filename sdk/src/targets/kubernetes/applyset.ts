import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { GROUP, KIND_COMPOSITE, KIND_RESOURCE } from '../../api/index.ts';

/**
 * A stack's identity on Kubernetes, ApplySet-style (KEP-3659): a parent ConfigMap in the
 * namespace holds the inventory (what the last apply of this stack applied), members carry
 * `applyset.kubernetes.io/part-of`, and each stack applies with a field manager of its own.
 * Prune deletes only what the inventory lists and still belongs to this stack.
 */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
/** The readable identity, and the inventory (`Kind/name`, comma-separated). */
export const STACK_ANNOTATION = `${GROUP}/stack`;
export const INVENTORY_ANNOTATION = `${GROUP}/inventory`;
export const TOOLING = 'clockwork/v1';
export const GROUP_KINDS = [`${KIND_COMPOSITE}.${GROUP}`, `${KIND_RESOURCE}.${GROUP}`].sort().join(',');

export interface StackIdentity {
  /** `deploy/main.ts` (relative to the repository root), an absolute path, or `--stack-name`. */
  name: string;
  namespace: string;
}

export interface ApplySet {
  identity: StackIdentity;
  /** The parent ConfigMap's name. */
  parent: string;
  /** `applyset-<hash>-v1`, the value of the id and part-of labels. */
  id: string;
  /** The field manager of this stack's applies. */
  fieldManager: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function applySetOf(identity: StackIdentity): ApplySet {
  const parent = `clockwork-stack-${sha256(identity.name).toString('hex').slice(0, 16)}`;
  // KEP-3659: base64url(sha256("<name>.<namespace>.<kind>.<group>")), no padding.
  const id = `applyset-${sha256(`${parent}.${identity.namespace}.ConfigMap.`).toString('base64url')}-v1`;
  return { identity, parent, id, fieldManager: fieldManagerFor(identity.name) };
}

/** `clockwork/<stack name>`, at most 128 characters (the API server's limit). */
export function fieldManagerFor(name: string): string {
  const full = `clockwork/${name}`;
  if (full.length <= 128) return full;
  return `clockwork/…${name.slice(-100)}-${sha256(name).toString('hex').slice(0, 8)}`;
}

/**
 * The default stack name of a stack file: its path relative to the root of the git repository
 * it is in, or its absolute path outside one. Two different files never share a name, so
 * `alice/payments/deploy/main.ts` and `bob/search/deploy/main.ts` never prune each other.
 */
export function defaultStackName(file: string): string {
  const absolute = resolve(file);
  const root = gitRoot(dirname(absolute));
  const name = root ? relative(root, absolute) : absolute;
  return name.split(sep).join('/');
}

function gitRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    // A directory in a repository, or a worktree (where .git is a file).
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `Kind/name` keys of an inventory annotation. */
export function parseInventory(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => /^(Resource|Composite)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s));
}

export function formatInventory(keys: Iterable<string>): string {
  return [...new Set(keys)].sort().join(',');
}


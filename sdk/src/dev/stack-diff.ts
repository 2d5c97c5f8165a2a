import { canonicalJson, updatedInPlace } from '../engine/index.ts';
import type { CompiledResource, CompiledStack } from '../stack/compile.ts';

/** How one Resource changed between two saves. */
export interface ResourceChange {
  name: string;
  /** Spec fields (and `labels`, `annotations`, `composite`) whose value changed. */
  fields: string[];
  /** Only the content of files changed (same paths): applied in place, not by a replacement. */
  filesOnly: boolean;
  /** Paths of files whose content changed. */
  changedFiles: string[];
}

export interface StackDiff {
  added: string[];
  removed: string[];
  changed: ResourceChange[];
  /** Composites added, removed or regrouped. */
  compositesChanged: boolean;
}

/** Spec fields whose change never touches the workload (the engine leaves it running). */
const SIDE_FIELDS = new Set(['assertions', 'reload', 'description', 'timeouts']);

/** What a save changed: Resources added, removed, and for each changed one which fields. */
export function diffStacks(before: CompiledStack, after: CompiledStack): StackDiff {
  const old = new Map(before.resources.map((r) => [r.name, r]));
  const now = new Map(after.resources.map((r) => [r.name, r]));
  const changed: ResourceChange[] = [];
  for (const [name, next] of now) {
    const prev = old.get(name);
    if (!prev) continue;
    const fields = changedFields(prev, next);
    if (fields.length === 0) continue;
    const changedFiles = fileChanges(prev, next);
    const samePaths = canonicalJson((prev.spec.files ?? []).map((f) => f.mountPath)) === canonicalJson((next.spec.files ?? []).map((f) => f.mountPath));
    const workloadFields = fields.filter((f) => !SIDE_FIELDS.has(f));
    const inPlace = changedFiles.every(updatedInPlace);
    changed.push({ name, fields, filesOnly: samePaths && inPlace && workloadFields.length === 1 && workloadFields[0] === 'files', changedFiles });
  }
  const shape = (s: CompiledStack) => canonicalJson(s.composites.map((c) => [c.name, c.composite, c.children]));
  return {
    added: [...now.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !now.has(n)),
    changed,
    compositesChanged: shape(before) !== shape(after),
  };
}

export function isEmptyDiff(diff: StackDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0 && !diff.compositesChanged;
}

/** One line per change, for the developer: what the save did to which Resource. */
export function describeDiff(diff: StackDiff): string[] {
  const lines: string[] = [];
  for (const name of diff.added) lines.push(`${name}: added to the stack`);
  for (const name of diff.removed) lines.push(`${name}: removed from the stack`);
  for (const c of diff.changed) {
    if (c.filesOnly) lines.push(`${c.name}: files changed (${c.changedFiles.join(', ')}): updating them in place`);
    else if (c.fields.every((f) => SIDE_FIELDS.has(f))) lines.push(`${c.name}: ${c.fields.join(', ')} changed: the workload keeps running`);
    else lines.push(`${c.name}: ${c.fields.join(', ')} changed: replacing its workload`);
  }
  if (diff.compositesChanged && lines.length === 0) lines.push('composites changed');
  return lines;
}

function changedFields(prev: CompiledResource, next: CompiledResource): string[] {
  const a = { ...prev.spec, labels: prev.labels, annotations: prev.annotations, composite: prev.composite, dependsOnAcross: prev.annotationDependencies } as Record<string, unknown>;
  const b = { ...next.spec, labels: next.labels, annotations: next.annotations, composite: next.composite, dependsOnAcross: next.annotationDependencies } as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)).map((k) => (k === 'dependsOnAcross' ? 'dependencies' : k));
}

function fileChanges(prev: CompiledResource, next: CompiledResource): string[] {
  const before = new Map((prev.spec.files ?? []).map((f) => [f.mountPath, f.content]));
  return (next.spec.files ?? []).filter((f) => before.get(f.mountPath) !== f.content).map((f) => f.mountPath);
}

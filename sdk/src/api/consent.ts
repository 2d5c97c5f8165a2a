import { GROUP } from './constants.ts';

/**
 * A namespace's consent to dependents from other namespaces: the annotation on the Namespace
 * lists the namespaces whose Resources may depend on what it holds (or `*`, any). Without it, a
 * dependency on the namespace's objects is not honoured: the dependent reports
 * DependencyNotPermitted, learns nothing of them and gets no `*_HOST`/`*_PORT` for them.
 */
export const ANNOTATION_ALLOW_DEPENDENTS_FROM = `${GROUP}/allow-dependents-from`;

/** Whether the annotation's value lets Resources of namespace `from` depend on the namespace's objects. */
export function allowsDependentsFrom(annotation: string | undefined, from: string): boolean {
  const entries = (annotation ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return entries.includes('*') || entries.includes(from);
}

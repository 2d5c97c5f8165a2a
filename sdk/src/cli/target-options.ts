import { resolve, sep } from 'node:path';
import { selectTarget, type TargetChoice } from '../targets/select-target.ts';
import type { Target } from '../targets/target.ts';

/** Options every command that talks to a target takes. */
export interface TargetCommandOptions {
  file: string;
  namespace?: string;
  target: TargetChoice;
  /** kubeconfig context. */
  context?: string;
  publishAllInterfaces?: boolean;
  /** Injected in tests instead of selecting a target. */
  openTarget?: () => Promise<Target>;
}

/** The target a command runs on; without a stack file there is no inventory to prune by. */
export function openTarget(options: Omit<TargetCommandOptions, 'file'> & { file?: string | undefined }): Promise<Target> {
  if (options.openTarget) return options.openTarget();
  return selectTarget({ target: options.target, context: options.context, stackName: options.file === undefined ? undefined : stackNameOf(options.file), publishAllInterfaces: options.publishAllInterfaces ?? false });
}

/**
 * The stack's name for the pruning inventory: the folder of a `main.ts`
 * (`examples/mixed-pattern/main.ts` → `mixed-pattern`), otherwise the file's own name.
 */
export function stackNameOf(file: string): string {
  const parts = resolve(file).split(sep);
  const base = parts.at(-1)!.replace(/\.[cm]?[jt]s$/, '');
  const name = base === 'main' || base === 'index' ? (parts.at(-2) ?? base) : base;
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'stack';
}

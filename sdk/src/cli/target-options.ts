import { defaultStackName } from '../targets/kubernetes/applyset.ts';
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
  /** The stack's name on Kubernetes (default: the file's path in its git repository). */
  stackName?: string;
  /** Kubernetes: take fields other field managers own. */
  forceConflicts?: boolean;
  /** `--image-map from=to` entries. */
  imageMap?: readonly string[] | undefined;
  /** Injected in tests instead of selecting a target. */
  openTarget?: () => Promise<Target>;
}

/** The target a command runs on; without a stack file there is no inventory to prune by. */
export function openTarget(options: Omit<TargetCommandOptions, 'file'> & { file?: string | undefined }): Promise<Target> {
  if (options.openTarget) return options.openTarget();
  return selectTarget({
    target: options.target,
    context: options.context,
    stackName: options.file === undefined ? undefined : stackNameOf(options.file, options.stackName),
    forceConflicts: options.forceConflicts ?? false,
    publishAllInterfaces: options.publishAllInterfaces ?? false,
  });
}

/**
 * The stack's name, its identity on Kubernetes: `--stack-name` when given, else the file's path
 * relative to its git repository's root (its absolute path outside one). Two different files
 * never share it, so their applies never prune or take over each other's objects.
 */
export function stackNameOf(file: string, override?: string): string {
  return override ?? defaultStackName(file);
}

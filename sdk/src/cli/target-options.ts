import { selectTarget, type TargetChoice } from '../targets/select-target.ts';
import type { Target } from '../targets/target.ts';

/** Options every command that talks to a target takes. */
export interface TargetCommandOptions {
  file: string;
  namespace?: string;
  target: TargetChoice;
  publishAllInterfaces?: boolean;
  /** Injected in tests instead of selecting a target. */
  openTarget?: () => Promise<Target>;
}

export function openTarget(options: TargetCommandOptions): Promise<Target> {
  if (options.openTarget) return options.openTarget();
  return selectTarget({ target: options.target, publishAllInterfaces: options.publishAllInterfaces ?? false });
}

import type { SelectTargetOptions } from './targets/select-target.ts';
import type { Target } from './targets/target.ts';

/**
 * `selectTarget` of the public surface: the targets (dockerode, the Kubernetes client) are
 * imported when a script asks for one, so that importing 'clockwork' in a stack file stays light.
 */
export async function selectTarget(options: SelectTargetOptions): Promise<Target> {
  const targets = await import('./targets/select-target.ts');
  return targets.selectTarget(options);
}

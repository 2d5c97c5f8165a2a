import type { ResourceState } from '../dashboard/dashboard-model.ts';

/** Each state as a word, a short explanation and a colour class; the icon is drawn by StateIcon. */
export const STATE_TEXT: Record<ResourceState, string> = {
  Ready: 'dependencies Ready, workload available, assertions passing',
  Waiting: 'waiting for a dependency to be Ready',
  Starting: 'its workload is coming up or being checked',
  Failing: 'its workload or its assertions fail',
  Completed: 'a task that ran to completion',
  Unknown: 'not applied, or not evaluated yet',
};

export const stateClass = (state: ResourceState): string => `state-${state.toLowerCase()}`;

export { Dag, findCycles } from './dag.ts';
export { CycleError } from './cycle-error.ts';

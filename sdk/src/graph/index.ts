export { Dag, findCycles, shortestCycleThrough, wavesAllowingCycles } from './dag.ts';
export { DependencyModel, type DependencyNode, type NodeSource } from './dependency-model.ts';
export { CycleError } from './cycle-error.ts';
export { DependentsIndex } from './dependents-index.ts';

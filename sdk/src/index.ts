/**
 * The public surface of the `clockwork` package: what stack files and scripts import.
 */
export { Resource, type ResourceOptions, type EnvValue } from './stack/resource.ts';
export { Composite, type CompositeOptions } from './stack/composite.ts';
export { external, ExternalRef } from './stack/external.ts';
export type { Dependency } from './stack/membership.ts';
export { compileStack, type CompiledStack, type CompiledResource, type CompiledComposite } from './stack/compile.ts';
export { StackValidationError, type StackIssue } from './stack/validation-error.ts';
export { loadStackFile, stackItems, StackFileError } from './stack/load.ts';
export { emitObjects } from './manifest/emit.ts';
export { serializeObjects } from './manifest/serialize.ts';
export { planStack, type Plan } from './plan/plan.ts';
export { CycleError } from './graph/index.ts';
export * as api from './api/index.ts';
export { deploy, destroy, DeployError, type DeployOptions, type DeployProgress, type DestroyStackOptions } from './deploy.ts';
export type { StackReport, ResourceReport, CompositeReport, DestroyReport, VolumeReport } from './targets/target.ts';
export { selectTarget } from './select-target-lazily.ts';
export type { SelectTargetOptions, TargetChoice } from './targets/select-target.ts';
export type { Target } from './targets/target.ts';
export type { LogLine, LogsOptions } from './targets/logs.ts';

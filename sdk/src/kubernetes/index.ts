export { describeError, ignoreNotFound, isConflict, isNotFound, statusCode } from './api-errors.ts';
export { Informer, SILENT_LOG, type InformerHandlers, type InformerLog, type InformerOptions, type ListResult } from './informer.ts';
export { KubernetesUnavailableError, loadKubeConfig, mergePatch, reuseConnections, type KubeConfigOptions } from './kube-config.ts';

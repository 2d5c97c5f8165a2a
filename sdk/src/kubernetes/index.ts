export { describeError, ignoreNotFound, isConflict, isNotFound, statusCode } from './api-errors.ts';
export { Informer, SILENT_LOG, type InformerHandlers, type InformerLog, type InformerOptions, type ListResult } from './informer.ts';
export { KubernetesUnavailableError, loadKubeConfig, mergePatch, reuseConnections, type KubeConfigOptions } from './kube-config.ts';
export { KubeJson, MERGE_PATCH, APPLY_PATCH, type Query, type RequestOptions } from './json-client.ts';
export { ObjectStore, revisionOf, type IndexFunction } from './object-store.ts';
export { withoutManagedFields } from './informer.ts';
export { StringPool } from './intern.ts';

import module from 'node:module';
import { siblingModule } from '../api/sibling-module.ts';

const SHIM = siblingModule('./generated-config-only', import.meta.url).href;

/**
 * Lets a process use client-node's KubeConfig without loading the generated API index: its
 * config module imports that index (757 models and their serializer, ~60 MiB resident) only for
 * `createConfiguration` and `ServerConfiguration`, which `makeApiClient` needs. A resolve hook
 * points that one import at a module exporting just those two (the same objects the index
 * re-exports), so KubeConfig, its authentication and `makeApiClient` work unchanged. For a
 * long-running process (the operator) that talks JSON (KubeJson); call it before anything
 * imports client-node.
 */
export function withoutGeneratedModels(): void {
  module.registerHooks({
    resolve: (specifier, context, next) =>
      specifier === './gen/index.js' && context.parentURL?.endsWith('/@kubernetes/client-node/dist/config.js') ? { url: SHIM, shortCircuit: true } : next(specifier, context),
  });
}

// What client-node's config module takes from the generated API index: two names, from the
// modules that define them (see without-generated-models.ts).
export { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js';
export { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js';

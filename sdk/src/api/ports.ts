import type { PortSpec } from './resource-spec.ts';

/** The port a name or number refers to among a container's ports (a number stands for itself). */
export function resolvePort(ports: readonly PortSpec[], port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return ports.find((p) => p.name === port)?.port;
}

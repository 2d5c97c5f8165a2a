import type Docker from 'dockerode';
import { ignoreStatus } from './docker-errors.ts';
import { DOCKER_LABELS, MANAGED_BY, networkName } from './names.ts';

/** A namespace's user-defined bridge network, created once when it is missing. */
export class NamespaceNetwork {
  readonly name: string;
  readonly #docker: Docker;
  readonly #namespace: string;
  #ready: Promise<void> | undefined;

  constructor(docker: Docker, namespace: string) {
    this.#docker = docker;
    this.#namespace = namespace;
    this.name = networkName(namespace);
  }

  /** Creates the network when it is missing; concurrent callers share one attempt, a failed one is retried. */
  ensure(): Promise<void> {
    this.#ready ??= this.#create().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #create(): Promise<void> {
    const existing = await this.#docker.listNetworks({ filters: { name: [this.name] } });
    if (existing.some((n) => n.Name === this.name)) return;
    const labels = { [DOCKER_LABELS.managedBy]: MANAGED_BY, [DOCKER_LABELS.namespace]: this.#namespace };
    // 409: another process created it in between.
    await ignoreStatus(409, this.#docker.createNetwork({ Name: this.name, Driver: 'bridge', CheckDuplicate: true, Labels: labels }));
  }
}

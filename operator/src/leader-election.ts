import type { CoordinationV1Api, V1Lease } from '@kubernetes/client-node';
import { V1MicroTime } from '@kubernetes/client-node/dist/types.js';
import { systemClock, type Clock } from '../../sdk/src/engine/index.ts';
import { isConflict, isNotFound } from '../../sdk/src/kubernetes/index.ts';

export interface LeaderElectionOptions {
  api: Pick<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'>;
  namespace: string;
  name: string;
  /** This replica's identity (its Pod name, or host name and pid). */
  identity: string;
  /** How long a Lease holds without renewal (default 15 s). */
  leaseDurationMs?: number;
  /** A leader that cannot renew within this long gives up (default 10 s). */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  clock?: Clock;
  /** Leadership began; `signal` aborts the moment it is lost. */
  onStartedLeading: (signal: AbortSignal) => void;
  onStoppedLeading: () => void;
  onError?: (error: unknown) => void;
}

/**
 * Leader election through a coordination.k8s.io Lease, with client-go's semantics: a Lease is
 * expired when its record has not changed for a lease duration on this replica's own clock (no
 * trust in other clocks); writes carry the resourceVersion they read, so two replicas never both
 * win; a leader that fails to renew within the renew deadline stops leading at once.
 */
export class LeaderElector {
  readonly #o: Required<Omit<LeaderElectionOptions, 'onError'>> & Pick<LeaderElectionOptions, 'onError'>;
  #observed: { record: string; at: number } | undefined;
  #leading: AbortController | undefined;
  #lastRenew = 0;
  #timer: unknown;
  #stopped = false;

  constructor(options: LeaderElectionOptions) {
    this.#o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock: systemClock, ...options };
  }

  get isLeader(): boolean {
    return this.#leading !== undefined;
  }

  start(): void {
    void this.#tick();
  }

  /** Stops; a leader releases the Lease so that another replica takes over without waiting. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#o.clock.clearTimeout(this.#timer);
    if (this.#leading) {
      this.#lose();
      await this.#release().catch((e: unknown) => this.#o.onError?.(e));
    }
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      const held = await this.#tryAcquireOrRenew();
      if (held) {
        this.#lastRenew = this.#o.clock.now();
        if (!this.#leading) {
          this.#leading = new AbortController();
          this.#o.onStartedLeading(this.#leading.signal);
        }
      } else if (this.#leading) this.#lose();
    } catch (error) {
      this.#o.onError?.(error);
    }
    if (this.#leading && this.#o.clock.now() - this.#lastRenew > this.#o.renewDeadlineMs) this.#lose();
    if (!this.#stopped) this.#timer = this.#o.clock.setTimeout(() => void this.#tick(), this.#o.retryPeriodMs);
  }

  #lose(): void {
    const leading = this.#leading;
    this.#leading = undefined;
    if (!leading) return;
    leading.abort();
    this.#o.onStoppedLeading();
  }

  /** True when this replica holds the Lease after the attempt. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { api, namespace, name, identity } = this.#o;
    const now = new Date();
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: this.#spec(now, now, 0) } });
        return true;
      } catch (createError) {
        if (isConflict(createError) || statusOf(createError) === 409) return false;
        throw createError;
      }
    }
    const spec = lease.spec ?? {};
    const record = `${spec.holderIdentity ?? ''}|${String(spec.renewTime ?? '')}|${spec.leaseTransitions ?? 0}`;
    if (this.#observed?.record !== record) this.#observed = { record, at: this.#o.clock.now() };
    const mine = spec.holderIdentity === identity;
    const durationMs = (spec.leaseDurationSeconds ?? this.#o.leaseDurationMs / 1000) * 1000;
    const expired = !spec.holderIdentity || this.#o.clock.now() - this.#observed.at > durationMs;
    if (!mine && !expired) return false;
    const transitions = (spec.leaseTransitions ?? 0) + (mine ? 0 : 1);
    const acquired = mine && spec.acquireTime ? new Date(spec.acquireTime) : now;
    try {
      const updated = await api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: this.#spec(acquired, now, transitions) } });
      const u = updated.spec ?? {};
      this.#observed = { record: `${u.holderIdentity ?? ''}|${String(u.renewTime ?? '')}|${u.leaseTransitions ?? 0}`, at: this.#o.clock.now() };
      return true;
    } catch (error) {
      // Another replica wrote first (our resourceVersion is stale): not ours this round.
      if (isConflict(error)) return false;
      throw error;
    }
  }

  #spec(acquireTime: Date, renewTime: Date, leaseTransitions: number): NonNullable<V1Lease['spec']> {
    return {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.round(this.#o.leaseDurationMs / 1000),
      acquireTime: new V1MicroTime(acquireTime.getTime()),
      renewTime: new V1MicroTime(renewTime.getTime()),
      leaseTransitions,
    };
  }

  async #release(): Promise<void> {
    const { api, namespace, name, identity } = this.#o;
    const lease = await api.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== identity) return;
    await api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new V1MicroTime() } } });
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

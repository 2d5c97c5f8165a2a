import type { ReadinessSpec } from '../../api/index.ts';
import { systemClock, type Clock } from '../../engine/index.ts';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeState {
  ready: boolean;
  /** Ready at least once: from then on probes run every periodSeconds. */
  everReady: boolean;
  /** Probed at least once. */
  probed: boolean;
  message: string;
  successes: number;
  failures: number;
  attempts: number;
}

export const INITIAL_PROBE_STATE: ProbeState = { ready: false, everReady: false, probed: false, message: 'not probed yet', successes: 0, failures: 0, attempts: 0 };

/**
 * Until first Ready (a startup probe, like compose's start_interval): every 100 ms for host-side
 * probes (a loopback connect costs nothing), from 100 ms ×1.5 up to 250 ms for exec probes (each
 * one is a process in the container); then every periodSeconds.
 */
export function nextProbeDelayMs(state: ProbeState, spec: ReadinessSpec | undefined): number {
  const period = (spec?.periodSeconds ?? 10) * 1000;
  if (state.everReady) return period;
  if (!spec?.exec) return Math.min(period, 100);
  return Math.min(period, 250, Math.round(100 * 1.5 ** Math.max(0, state.attempts - 1)));
}

/** Kubernetes threshold semantics: successThreshold successes to turn Ready, failureThreshold failures to lose it. */
export function applyProbeResult(state: ProbeState, result: ProbeResult, spec: ReadinessSpec | undefined): ProbeState {
  const successes = result.ok ? state.successes + 1 : 0;
  const failures = result.ok ? 0 : state.failures + 1;
  let ready = state.ready;
  if (result.ok && successes >= (spec?.successThreshold ?? 1)) ready = true;
  if (!result.ok && (!state.everReady || failures >= (spec?.failureThreshold ?? 3))) ready = false;
  return { ready, everReady: state.everReady || ready, probed: true, message: result.message, successes, failures, attempts: state.attempts + 1 };
}

/**
 * Runs a container's readiness probe from the host (dockerd 20.10 has no healthcheck
 * start_interval): on a short backoff until first Ready, then every periodSeconds.
 * `onChange` fires when Ready flips, so that dependents are woken at once.
 */
export class ReadinessProber {
  readonly #spec: ReadinessSpec | undefined;
  readonly #probe: () => Promise<ProbeResult>;
  readonly #onChange: (state: ProbeState) => void;
  readonly #clock: Clock;
  #state: ProbeState = INITIAL_PROBE_STATE;
  #timer: unknown;
  #stopped = false;
  #inFlight: Promise<void> | undefined;

  constructor(options: { spec: ReadinessSpec | undefined; probe: () => Promise<ProbeResult>; onChange: (state: ProbeState) => void; clock?: Clock }) {
    this.#spec = options.spec;
    this.#probe = options.probe;
    this.#onChange = options.onChange;
    this.#clock = options.clock ?? systemClock;
  }

  get state(): ProbeState {
    return this.#state;
  }

  start(): void {
    this.#schedule((this.#spec?.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Probes now (once; concurrent callers share the probe). */
  probeNow(): Promise<void> {
    this.#inFlight ??= this.#run().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #run(): Promise<void> {
    const result = await this.#probe().catch((e: Error): ProbeResult => ({ ok: false, message: e.message }));
    const before = this.#state;
    this.#state = applyProbeResult(before, result, this.#spec);
    if (before.ready !== this.#state.ready || !before.probed) this.#onChange(this.#state);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.probeNow().then(() => this.#schedule(nextProbeDelayMs(this.#state, this.#spec)));
    }, ms);
  }
}

import type { StackReport } from '../targets/target.ts';
import type { CheckPoint } from './dashboard-model.ts';

/** How many checks of each assertion are kept. */
export const HISTORY_LENGTH = 40;

/**
 * The recent checks of every assertion, gathered from successive reports: a report whose result
 * carries another check time (or another outcome) than the last one seen is a new check.
 */
export class AssertionHistory {
  readonly #checks = new Map<string, CheckPoint[]>();
  readonly #lastSeen = new Map<string, string>();
  readonly #length: number;

  constructor(options: { length?: number } = {}) {
    this.#length = options.length ?? HISTORY_LENGTH;
  }

  /** Takes in the assertion results of `reports`; returns true when a check was added. */
  record(reports: readonly StackReport[]): boolean {
    let added = false;
    for (const report of reports)
      for (const resource of report.resources)
        for (const a of resource.assertions) {
          if (!a.lastCheckedTime) continue;
          const key = historyKey(report.namespace, resource.name, a.name);
          const identity = `${a.lastCheckedTime}|${a.durationMs ?? ''}|${a.consecutiveFailures ?? ''}|${a.message}`;
          if (this.#lastSeen.get(key) === identity) continue;
          this.#lastSeen.set(key, identity);
          const checks = this.#checks.get(key) ?? [];
          // The check's own outcome: a passing status may hold a failure below its threshold.
          const passed = a.consecutiveFailures !== undefined ? a.consecutiveFailures === 0 : a.passed;
          checks.push({ at: a.lastCheckedTime, passed, ...(a.durationMs !== undefined ? { durationMs: a.durationMs } : {}), message: a.message });
          if (checks.length > this.#length) checks.splice(0, checks.length - this.#length);
          this.#checks.set(key, checks);
          added = true;
        }
    return added;
  }

  /** The checks of one assertion, oldest first. */
  of(namespace: string, resource: string, assertion: string): CheckPoint[] {
    return this.#checks.get(historyKey(namespace, resource, assertion)) ?? [];
  }
}

const historyKey = (namespace: string, resource: string, assertion: string) => `${namespace}/${resource}#${assertion}`;

/** Thrown when a dependency graph has cycles; each cycle is given as `[a, b, c, a]`. */
export class CycleError extends Error {
  readonly cycles: readonly (readonly string[])[];

  constructor(cycles: readonly (readonly string[])[], describe: (node: string) => string = (n) => n) {
    super(`dependency cycle${cycles.length > 1 ? 's' : ''}: ${cycles.map((c) => c.map(describe).join(' → ')).join('; ')}`);
    this.name = 'CycleError';
    this.cycles = cycles;
  }
}

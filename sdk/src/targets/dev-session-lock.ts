import { ClockworkError } from '../api/index.ts';

/** Who runs a `clockwork dev` session, as the next one is told. */
export interface DevHolder {
  /** `user@host pid 1234`. */
  identity: string;
  /** The stack file it watches. */
  file: string;
}

export interface DevSessionClaim {
  namespace: string;
  /** The stack's name (as for the pruning inventory). */
  stackName: string;
  holder: DevHolder;
}

/** Held until released; a holder that dies without releasing is taken over once it is stale. */
export interface DevSessionLock {
  release(): Promise<void>;
}

/** Another `clockwork dev` runs on the same stack and namespace. */
export class DevSessionTakenError extends ClockworkError {
  constructor(claim: DevSessionClaim, holder: string, since: string | undefined) {
    super(`clockwork dev is already running for stack "${claim.stackName}" in namespace "${claim.namespace}": ${holder}${since ? `, since ${since}` : ''}. Stop it (Ctrl-C) first, or use another namespace (-n).`);
  }
}


import { Option } from 'commander';

/** `--complete`, for commands that compile a stack (generate, plan, apply …). */
export const completeOption = () => new Option('--complete', 'ask the model for fields that Resources leave out and the lock file lacks (see docs/ai-completion.md)');

export const modelOption = () => new Option('--model <name>', 'the model to ask (default: $CLOCKWORK_MODEL)');

export interface CompletionFlags {
  complete?: boolean;
  model?: string;
}

export function completionFlags(o: CompletionFlags): { complete: boolean; model: string | undefined } {
  return { complete: o.complete ?? false, model: o.model };
}

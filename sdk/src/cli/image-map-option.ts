// `--image-map from=to` (repeatable) and the CLOCKWORK_IMAGE_MAP env var: applied to every stack
// the CLI compiles (see compileStackFile); each substitution is reported on stderr.
import { Option, type Command } from 'commander';
import { applyImageMap, parseImageMap, type ImageMapEntry } from '../stack/image-map.ts';
import type { CompiledStack } from '../stack/compile.ts';
import { UsageError } from '../api/index.ts';

export const IMAGE_MAP_ENV = 'CLOCKWORK_IMAGE_MAP';

/** What the running command was given on its command line, and where it reports. */
let fromFlags: { entries: string[]; err: (text: string) => void } = { entries: [], err: (text) => void process.stderr.write(text) };

export function imageMapOption(): Option {
  return new Option('--image-map <from=to>', `use image "to" wherever the stack names "from" (repeatable; also ${IMAGE_MAP_ENV}="from=to,...")`).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** Adds --image-map to a command that compiles a stack file, and records its value before the action runs. */
export function withImageMapOption(command: Command, err: (text: string) => void): void {
  command.addOption(imageMapOption()).hook('preAction', (_program, action) => {
    const entries = (action.opts() as { imageMap?: string[] }).imageMap ?? [];
    fromFlags = { entries, err };
  });
}

/** The entries in effect: CLOCKWORK_IMAGE_MAP first, then the flags (a later entry for the same image wins). */
export function imageMapEntries(env: NodeJS.ProcessEnv = process.env): ImageMapEntry[] {
  try {
    return [...parseImageMap(fromFlags.entries).reverse(), ...parseImageMap(env[IMAGE_MAP_ENV] ? [env[IMAGE_MAP_ENV]] : []).reverse()];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Applies the image map to a compiled stack and reports each substitution on stderr. */
export function withImageMap(stack: CompiledStack): CompiledStack {
  for (const s of applyImageMap(stack, imageMapEntries())) fromFlags.err(`clockwork: image map: ${s.resource} runs ${s.to} instead of ${s.from}\n`);
  return stack;
}

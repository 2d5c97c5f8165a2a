// `--image-map from=to` (repeatable) and the CLOCKWORK_IMAGE_MAP env var: applied to every stack
// the CLI compiles (see compileStackFile); each substitution is reported on stderr.
import { Option } from 'commander';
import { applyImageMap, parseImageMap, type ImageMapEntry } from '../stack/image-map.ts';
import type { CompiledStack } from '../stack/compile.ts';

export const IMAGE_MAP_ENV = 'CLOCKWORK_IMAGE_MAP';

/** What a command was given: the --image-map values, the environment, and where to report. */
export interface ImageMapOptions {
  /** `from=to` entries of --image-map, in the order given. */
  imageMap?: readonly string[] | undefined;
  /** Where CLOCKWORK_IMAGE_MAP is read (default: this process's environment). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Told each substitution (stderr). */
  report?: (text: string) => void;
}

export function imageMapOption(): Option {
  return new Option('--image-map <from=to>', `use image "to" wherever the stack names "from" (repeatable; also ${IMAGE_MAP_ENV}="from=to,...")`).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** The entries in effect: CLOCKWORK_IMAGE_MAP first, then the flags (a later entry for the same image wins). @throws ImageMapError (a UsageError) */
export function imageMapEntries(options: ImageMapOptions = {}): ImageMapEntry[] {
  const env = options.env ?? process.env;
  return [...parseImageMap(options.imageMap ?? []).reverse(), ...parseImageMap(env[IMAGE_MAP_ENV] ? [env[IMAGE_MAP_ENV]] : []).reverse()];
}

/** Applies the image map to a compiled stack and reports each substitution. */
export function withImageMap(stack: CompiledStack, options: ImageMapOptions): CompiledStack {
  for (const s of applyImageMap(stack, imageMapEntries(options))) options.report?.(`clockwork: image map: ${s.resource} runs ${s.to} instead of ${s.from}\n`);
  return stack;
}

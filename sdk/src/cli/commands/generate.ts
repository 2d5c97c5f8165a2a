import { emitObjects } from '../../manifest/emit.ts';
import { serializeObjects, type OutputFormat } from '../../manifest/serialize.ts';
import type { CompleteFileOptions } from '../../complete/complete-stack-file.ts';
import { compileStackFile } from '../compile-file.ts';
import type { ImageMapOptions } from '../image-map-option.ts';
import type { Output } from '../output.ts';

export interface GenerateOptions extends CompleteFileOptions, ImageMapOptions {
  file: string;
  namespace?: string;
  output: OutputFormat;
}

/** `clockwork generate`: the Composite and Resource objects for `kubectl apply -f -`. */
export async function generate(options: GenerateOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { ...options, report: io.err });
  io.out(serializeObjects(emitObjects(stack), options.output));
  return 0;
}

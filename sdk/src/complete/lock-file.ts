import { ClockworkError } from '../api/index.ts';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { storedFieldsSchema } from './completion-schema.ts';
import { stableStringify } from './stable-json.ts';

export const LOCK_FILE_NAME = 'clockwork.lock.json';

const lockEntrySchema = z.strictObject({
  /** Hash of the completion's inputs; the entry is used only while it matches. */
  inputs: z.string().min(1),
  model: z.string().optional(),
  /**
   * The completed fields, in the shape a user would write them in `new Resource({...})`, and
   * only what a model's answer may hold: a lock file is reviewed less closely than a stack file,
   * so an entry cannot carry a secretKeyRef, a url check, a regex or any other field.
   */
  fields: storedFieldsSchema,
});
const lockFileSchema = z.strictObject({
  version: z.literal(1),
  /** Entries by Resource name. */
  resources: z.record(z.string(), lockEntrySchema),
});

export type LockEntry = z.infer<typeof lockEntrySchema>;
export type LockFile = z.infer<typeof lockFileSchema>;

/** A lock file that exists but cannot be used. */
export class LockFileError extends ClockworkError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** The lock file that belongs to a stack file: next to it. */
export function lockFilePath(stackFile: string): string {
  return join(dirname(stackFile), LOCK_FILE_NAME);
}

export function emptyLock(): LockFile {
  return { version: 1, resources: {} };
}

/** Reads a lock file; a missing file is an empty lock. */
export function readLockFile(file: string): LockFile {
  if (!existsSync(file)) return emptyLock();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LockFileError(file, `is not valid JSON (${(error as Error).message}); fix it or delete it and run \`clockwork complete\``, { cause: error });
  }
  const parsed = lockFileSchema.safeParse(json);
  if (!parsed.success) throw new LockFileError(file, `is not a Clockwork lock file: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}

/** Sorted keys and 2-space indentation, so that the file diffs well under version control. */
export function formatLockFile(lock: LockFile): string {
  return `${stableStringify(lock, 2)}\n`;
}

/** Writes atomically (a temporary file renamed over the old one). */
export function writeLockFile(file: string, lock: LockFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, formatLockFile(lock));
  renameSync(temporary, file);
}

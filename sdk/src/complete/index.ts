export { completeStack, missingFields, type CompleteStackOptions, type CompletionProblem, type ResourceCompletion, type StackCompletion } from './complete-stack.ts';
export { completeStackFile, type CompleteFileOptions, type FileCompletion } from './complete-stack-file.ts';
export { CompletionError } from './completion-error.ts';
export { COMPLETABLE_FIELDS, completionSchema, type CompletableField, type CompletedFields } from './completion-schema.ts';
export { LOCK_FILE_NAME, LockFileError, formatLockFile, lockFilePath, readLockFile, writeLockFile, type LockFile } from './lock-file.ts';
export { ModelConfigError, openAIModel, type CompletionModel, type ModelSettings } from './openai-client.ts';
export { completionMessages, contextHash, type CompletionContext } from './prompt.ts';

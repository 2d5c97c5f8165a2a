export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../api/index.ts';

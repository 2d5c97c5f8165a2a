#!/usr/bin/env node
// The operator's own entry (the image runs it; `clockwork operator` reaches the same command).
import { runOperatorCommand } from './main/operator-command.ts';

process.exitCode = await runOperatorCommand(process.argv.slice(2));

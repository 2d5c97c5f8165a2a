#!/usr/bin/env node
// The operator's own entry (the image runs it; `clockwork operator` reaches the same command).
import { withoutGeneratedModels } from '../../sdk/src/kubernetes/without-generated-models.ts';

// Before anything loads the Kubernetes client: the operator talks JSON and needs none of its generated models.
withoutGeneratedModels();
const { runOperatorCommand } = await import('./main/operator-command.ts');
process.exitCode = await runOperatorCommand(process.argv.slice(2));

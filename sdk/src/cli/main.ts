#!/usr/bin/env node
const argv = process.argv.slice(2);
if (argv[0] === 'operator') {
  // The operator has its own entry: `clockwork operator` loads none of the CLI's other commands.
  const { runOperatorCommand } = await import('../../../operator/src/main/operator-command.ts');
  process.exitCode = await runOperatorCommand(argv.slice(1));
} else {
  const { runCli } = await import('./program.ts');
  process.exitCode = await runCli(argv);
}

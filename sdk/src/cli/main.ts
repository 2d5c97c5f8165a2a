#!/usr/bin/env node
// The `clockwork` command's entry, kept small so that a command starts like a native tool:
// `--version` is answered here; everything else turns on Node's on-disk compile cache first and
// then loads the table of commands, which imports only the command that runs.
import module from 'node:module';
import { VERSION } from './version.ts';

const argv = process.argv.slice(2);
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`error: clockwork needs Node 22.18 or newer (this is ${process.version}); run it through bin/clockwork, which uses the Node 24 that \`make setup\` installs\n`);
  process.exitCode = 1;
} else if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else if (argv[0] === 'operator') {
  // The operator has its own entry: `clockwork operator` loads none of the CLI's other commands.
  const { withoutGeneratedModels } = await import('../kubernetes/without-generated-models.ts');
  withoutGeneratedModels();
  const { runOperatorCommand } = await import('../../../operator/src/main/operator-command.ts');
  process.exitCode = await runOperatorCommand(argv.slice(1));
} else {
  module.enableCompileCache?.();
  const { runCli } = await import('./program.ts');
  process.exitCode = await runCli(argv);
}

import { Command, CommanderError, Option } from 'commander';
import { StackFileError } from '../stack/load.ts';
import { StackValidationError } from '../stack/validation-error.ts';
import { generate } from './commands/generate.ts';
import { plan } from './commands/plan.ts';
import { graph } from './commands/graph.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { processOutput, type Output } from './output.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the stack is invalid, or the operation failed
  2  bad usage (unknown command or option, missing argument)`;

/** The table of commands. Each action calls a typed command function and records its exit code. */
function buildProgram(io: Output, setExit: (code: number) => void): Command {
  const program = new Command('clockwork')
    .description('Describe an application stack in TypeScript; bring it up in dependency order on Kubernetes or Docker.')
    .version(VERSION)
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const namespace = () => new Option('-n, --namespace <namespace>', 'namespace of the stack').default('default');

  program
    .command('generate')
    .description('print the Composite and Resource objects of a stack, for kubectl apply -f -')
    .argument('<file>', 'stack file (.ts) whose default export lists Resources and Composites')
    .addOption(namespace())
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(async (file: string, o: { namespace: string; output: 'yaml' | 'json' }) => setExit(await generate({ file, namespace: o.namespace, output: o.output }, io)));

  program
    .command('plan')
    .description('show the order in which a stack comes up: waves of Resources that start in parallel, and the composite tree')
    .argument('<file>', 'stack file (.ts)')
    .addOption(namespace())
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, o: { namespace: string; output: 'text' | 'json' }) => setExit(await plan({ file, namespace: o.namespace, output: o.output }, io)));

  program
    .command('graph')
    .description('print the dependency graph with composite boundaries (Mermaid or Graphviz dot)')
    .argument('<file>', 'stack file (.ts)')
    .addOption(namespace())
    .addOption(new Option('--format <format>', 'graph format').choices(['mermaid', 'dot']).default('mermaid'))
    .action(async (file: string, o: { namespace: string; format: 'mermaid' | 'dot' }) => setExit(await graph({ file, namespace: o.namespace, format: o.format }, io)));

  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).addHelpText('after', EXIT_CODES_HELP);
  return program;
}

const VERSION = '0.1.0';

/** Runs the CLI; the only place that turns errors into exit codes. */
export async function runCli(argv: readonly string[], io: Output = processOutput): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof StackValidationError || error instanceof StackFileError) {
      io.err(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.err(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}

// The table of commands. Only commander and a few option helpers load at start: each command's
// module (and with it zod, client-node, dockerode, openai …) is imported when that command runs,
// so `clockwork plan` never pays for the Kubernetes client.
import { Command, CommanderError, Option } from 'commander';
import { completeOption, completionFlags, modelOption, type CompletionFlags } from './completion-options.ts';
import { ClockworkError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../api/index.ts';
import { processOutput, type Output } from './output.ts';
import { imageMapOption } from './image-map-option.ts';
import { parseDuration, port, positiveInt, wholeNumber } from './parse-options.ts';
import type { TargetChoice } from '../targets/select-target.ts';
import { VERSION } from './version.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the stack is invalid, or the operation failed
  2  bad usage (unknown command or option, missing argument)`;

/** `--image-map` as commander hands it over: every value given, in order. */
type ImageMapFlag = { imageMap?: string[] };

/** The table of commands. Each action calls a typed command function and records its exit code. */
function buildProgram(io: Output, setExit: (code: number) => void): Command {
  const program = new Command('clockwork')
    .description('Describe an application stack in TypeScript; bring it up in dependency order on Kubernetes or Docker.')
    .version(VERSION)
    .option('-v, --verbose', 'more detail: stack traces of unexpected errors; progress lines beside the live view')
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
    .addOption(completeOption())
    .addOption(modelOption())
    .action(async (file: string, o: CompletionFlags & ImageMapFlag & { namespace: string; output: 'yaml' | 'json' }) => setExit(await (await import('./commands/generate.ts')).generate({ file, namespace: o.namespace, imageMap: o.imageMap, output: o.output, ...completionFlags(o) }, io)));

  program
    .command('plan')
    .description('show the order in which a stack comes up: waves of Resources that start in parallel, and the composite tree')
    .argument('<file>', 'stack file (.ts)')
    .addOption(namespace())
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('-t, --target <target>', 'also read the target: which volumes an apply would leave unmounted, and where their data is kept (without it, nothing is contacted)').choices(['auto', 'docker', 'kubernetes']))
    .addOption(new Option('--context <name>', 'kubeconfig context (kubernetes)'))
    .addOption(completeOption())
    .addOption(modelOption())
    .action(async (file: string, o: CompletionFlags & ImageMapFlag & { namespace: string; output: 'text' | 'json'; target?: TargetChoice; context?: string }) =>
      setExit(
        await (await import('./commands/plan.ts')).plan(
          { file, namespace: o.namespace, imageMap: o.imageMap, output: o.output, ...(o.target ? { target: o.target } : {}), ...(o.context ? { context: o.context } : {}), ...completionFlags(o) },
          io,
        ),
      ),
    );

  program
    .command('complete')
    .description('ask the model for the fields Resources leave out (image, ports, readiness, env, assertions) and record them in clockwork.lock.json next to the stack')
    .argument('<file>', 'stack file (.ts)')
    .addOption(modelOption())
    .addOption(new Option('--refresh', 'ask again even where the lock file has a matching entry'))
    .action(async (file: string, o: { model?: string; refresh?: boolean }) => setExit(await (await import('./commands/complete.ts')).complete({ file, model: o.model, refresh: o.refresh ?? false }, io)));

  program
    .command('graph')
    .description('print the dependency graph with composite boundaries (Mermaid or Graphviz dot)')
    .argument('<file>', 'stack file (.ts)')
    .addOption(namespace())
    .addOption(new Option('--format <format>', 'graph format').choices(['mermaid', 'dot']).default('mermaid'))
    .action(async (file: string, o: ImageMapFlag & { namespace: string; format: 'mermaid' | 'dot' }) => setExit(await (await import('./commands/graph.ts')).graph({ file, namespace: o.namespace, imageMap: o.imageMap, format: o.format }, io)));

  const targetOptions = (command: Command, file = '<file>') =>
    command
      .argument(file, 'stack file (.ts)')
      .addOption(namespace())
      .addOption(new Option('-t, --target <target>', 'where the stack runs: kubernetes when the current context answers and has the CRDs, else docker').choices(['auto', 'docker', 'kubernetes']).default('auto'))
      .addOption(new Option('--context <name>', 'kubeconfig context (kubernetes)'))
      .addOption(new Option('--publish-all-interfaces', 'publish hostPorts on 0.0.0.0 instead of 127.0.0.1 (docker)'))
      .addOption(new Option('--stack-name <name>', "the stack's identity on kubernetes: its inventory and field manager (default: the file's path in its git repository)"));
  type TargetFlags = ImageMapFlag & { namespace: string; target: TargetChoice; context?: string; publishAllInterfaces?: boolean; stackName?: string };
  const targetFlags = <F extends string | undefined>(file: F, o: TargetFlags) => ({
    file,
    namespace: o.namespace,
    imageMap: o.imageMap,
    target: o.target,
    ...(o.context ? { context: o.context } : {}),
    ...(o.stackName ? { stackName: o.stackName } : {}),
    publishAllInterfaces: o.publishAllInterfaces ?? false,
  });

  targetOptions(program.command('apply').description('bring the stack up in dependency order and wait until it is Ready'))
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the stack to become Ready').argParser(positiveInt).default(300))
    .addOption(new Option('-o, --output <format>', 'output format (json: the final report)').choices(['text', 'json']).default('text'))
    .addOption(new Option('--force-conflicts', 'kubernetes: take over fields that another stack or tool manages (by default such an apply fails, naming the object and the manager)'))
    .addOption(completeOption())
    .addOption(modelOption())
    .action(async (file: string, o: TargetFlags & CompletionFlags & { timeout: number; output: 'text' | 'json'; forceConflicts?: boolean }) =>
      setExit(await (await import('./commands/apply.ts')).apply({ ...targetFlags(file, o), forceConflicts: o.forceConflicts === true, timeoutSeconds: o.timeout, output: o.output, verbose: program.opts().verbose === true, ...completionFlags(o) }, io)),
    );

  targetOptions(program.command('status').description('show the stack tree with every condition, readiness and assertions (exit 1 unless all Ready)'), '[file]')
    .addOption(new Option('--all', 'every stack in the namespace, read from the target (no stack file)'))
    .addOption(new Option('-A, --all-namespaces', 'every stack in every namespace (implies --all)'))
    .addOption(new Option('-o, --output <format>', 'output format (json: with --all, an array of one report per namespace)').choices(['text', 'json']).default('text'))
    .action(async (file: string | undefined, o: TargetFlags & { all?: boolean; allNamespaces?: boolean; output: 'text' | 'json' }) =>
      setExit(await (await import('./commands/status.ts')).status({ ...targetFlags(file, o), all: o.all ?? false, allNamespaces: o.allNamespaces ?? false, output: o.output }, io)),
    );

  targetOptions(program.command('dashboard').description('serve a live, read-only web page of the stack: its graph, each Resource\'s conditions, assertion history, events and logs'), '[file]')
    .addOption(new Option('--all', 'every stack in the namespace, read from the target (no stack file)'))
    .addOption(new Option('-A, --all-namespaces', 'every stack in every namespace (implies --all)'))
    .addOption(new Option('-p, --port <port>', 'port to serve on (default 18400, or the next free one; 0: any free port)').argParser(port))
    .addOption(new Option('--address <address>', 'address to listen on (anything but loopback makes the page reachable from the network)').default('127.0.0.1'))
    .addOption(new Option('--open', 'open the page in the desktop browser'))
    .action(async (file: string | undefined, o: TargetFlags & { all?: boolean; allNamespaces?: boolean; port?: number; address: string; open?: boolean }) =>
      setExit(await (await import('./commands/dashboard.ts')).dashboard({ ...targetFlags(file, o), all: o.all ?? false, allNamespaces: o.allNamespaces ?? false, ...(o.port !== undefined ? { port: o.port } : {}), address: o.address, open: o.open ?? false }, io)),
    );

  targetOptions(program.command('assert').description('run every assertion now; exit 1 if any fails'))
    .addOption(new Option('-w, --watch', 're-run until interrupted'))
    .addOption(new Option('--interval <seconds>', 'seconds between --watch rounds').argParser(positiveInt).default(5))
    .action(async (file: string, o: TargetFlags & { watch?: boolean; interval: number }) => setExit(await (await import('./commands/assert.ts')).assert({ ...targetFlags(file, o), watch: o.watch ?? false, intervalSeconds: o.interval }, io)));

  targetOptions(program.command('destroy').description('remove the stack in reverse dependency order, dependents first; volumes (their data) are kept unless --volumes'))
    .addOption(new Option('--no-wait', 'delete without waiting for each wave to be gone (kubernetes)'))
    .option('--volumes', "also remove the stack's volumes and their data (claims on Kubernetes, named volumes on Docker), once the workloads are gone")
    .action(async (file: string, o: TargetFlags & { wait: boolean; volumes?: boolean }) => setExit(await (await import('./commands/destroy.ts')).destroy({ ...targetFlags(file, o), wait: o.wait, volumes: o.volumes ?? false }, io)));

  targetOptions(program.command('dev').description('apply the stack and stay: keep it converged, follow its output, and apply every save of the stack file, its modules and the files it reads (Ctrl-C stops watching; the stack keeps running)'))
    .addOption(new Option('--timeout <seconds>', 'how long each apply waits for the stack to settle before watching on').argParser(positiveInt).default(300))
    .addOption(new Option('--down', 'tear the stack down when dev stops'))
    .addOption(new Option('--dashboard-port <port>', 'port of the dashboard (default: 18400, or the next free one; 0: any free port)').argParser(port))
    .addOption(new Option('--no-dashboard', 'do not serve the dashboard'))
    .action(async (file: string, o: TargetFlags & { timeout: number; down?: boolean; dashboard: boolean; dashboardPort?: number }) =>
      setExit(await (await import('./commands/dev.ts')).dev({ ...targetFlags(file, o), timeoutSeconds: o.timeout, down: o.down ?? false, dashboard: o.dashboard, ...(o.dashboardPort !== undefined ? { dashboardPort: o.dashboardPort } : {}) }, io)),
    );

  targetOptions(program.command('logs').description("print what the stack's containers print, each line prefixed with its Resource"))
    .argument('[names...]', 'Resources or Composites (a Composite means every Resource below it); none: the whole stack')
    .addOption(new Option('-f, --follow', 'keep printing until interrupted, across restarts and replacements'))
    .addOption(new Option('--since <duration>', 'only lines of the last 30s, 10m, 1h…').argParser(parseDuration))
    .addOption(new Option('--tail <lines>', 'only the last N lines of each Resource').argParser(wholeNumber))
    .addOption(new Option('-p, --previous', 'the last terminated instance (before a restart or crash) instead of the running one'))
    .addOption(new Option('--timestamps', 'show when each line was written (RFC 3339)'))
    .action(async (file: string, names: string[], o: TargetFlags & { follow?: boolean; since?: number; tail?: number; previous?: boolean; timestamps?: boolean }) =>
      setExit(
        await (await import('./commands/logs.ts')).logs(
          {
            ...targetFlags(file, o),
            names,
            follow: o.follow ?? false,
            ...(o.since !== undefined ? { sinceSeconds: o.since } : {}),
            ...(o.tail !== undefined ? { tail: o.tail } : {}),
            previous: o.previous ?? false,
            timestamps: o.timestamps ?? false,
          },
          io,
        ),
      ),
    );

  // The operator's own program parses these (`clockwork operator --help` lists them); main.ts
  // reaches it directly, this entry only when global options come first.
  program
    .command('operator')
    .description('run the Kubernetes operator: reconcile Resources and Composites into Pods, Services and ConfigMaps (`clockwork operator --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]', 'the operator\'s options')
    .action(async (args: string[]) => {
      const { runOperatorCommand } = await import('../../../operator/src/main/operator-command.ts');
      setExit(await runOperatorCommand(args, io));
    });

  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).addHelpText('after', EXIT_CODES_HELP);
  // Every command that compiles a stack file takes --image-map from=to (passed on in its options).
  for (const command of program.commands) if (command.registeredArguments[0]?.name() === 'file') command.addOption(imageMapOption());
  return program;
}

/** Runs the CLI; the only place that turns errors into exit codes. */
export async function runCli(argv: readonly string[], io: Output = processOutput): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if ((argv.includes('-v') || argv.includes('--verbose')) && !(error instanceof CommanderError)) io.err(`${(error as Error).stack ?? String(error)}\n`);
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    // Every error meant for a person carries its exit code; anything else is a bug: its stack.
    if (error instanceof ClockworkError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}

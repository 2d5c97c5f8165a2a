import { Command, CommanderError, Option } from 'commander';
import { ClockworkError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../../../sdk/src/api/index.ts';
import { UrlPolicy } from '../../../sdk/src/assertions/index.ts';
import { runOperator, type RunOperatorOptions } from './run-operator.ts';

/** Where the command writes (tests pass their own). */
export interface OperatorIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: OperatorIO = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };

interface OperatorFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  workers: string;
  metricsPort: string;
  logLevel: string;
  assertionsVia?: 'proxy' | 'direct';
  clusterDomain?: string;
  leaderElect?: boolean;
  leaseNamespace?: string;
  terminationGracePeriod?: string;
  allowAssertionUrls?: string;
  clusterCidrs?: string;
  manageSystemNamespaces?: boolean;
}

/** The operator's flags: `node operator/src/main.ts …` (the image) and `clockwork operator …` both take these. */
function operatorProgram(io: OperatorIO, run: (flags: OperatorFlags) => void): Command {
  return new Command('clockwork operator')
    .description('run the Kubernetes operator: reconcile Resources and Composites into Pods, Services and ConfigMaps')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('--namespace <namespace>', 'watch one namespace (default: all)')
    .option('--workers <n>', 'concurrent reconciles', '4')
    .option('--metrics-port <port>', 'port for /metrics, /healthz, /readyz (0 disables)', '8080')
    .option('--log-level <level>', 'error, warn, info or debug', 'info')
    .addOption(new Option('--assertions-via <how>', 'how assertions reach Services (default: direct in cluster, proxy outside)').choices(['proxy', 'direct']))
    .option('--cluster-domain <domain>', 'cluster DNS domain for injected *_HOST names', 'cluster.local')
    .option('--termination-grace-period <seconds>', "terminationGracePeriodSeconds of the Pods it creates (default: Kubernetes' 30)")
    .option('--leader-elect', 'run only while holding the Lease clockwork-operator (the default; `clockwork apply` looks for it)')
    .option('--no-leader-elect', 'run without the Lease (a single replica that nothing else needs to find)')
    .option('--lease-namespace <namespace>', 'namespace of the leader Lease (default: the in-cluster namespace, else default)')
    .option('--allow-assertion-urls <entries>', 'hosts (db.example.com, *.example.com), addresses or CIDRs that assertion urls may reach, comma-separated (default: none, url checks are off); loopback, link-local, the API server and the cluster ranges only when an entry names them')
    .option('--manage-system-namespaces', 'also manage Resources in kube-system, kube-public and kube-node-lease (refused by default)')
    .option('--cluster-cidrs <cidrs>', "the cluster's Pod and Service ranges, comma-separated, refused to url checks unless named (default: every private range)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .action((flags: OperatorFlags) => run(flags));
}

function integer(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The flags as the operator's typed options. @throws UsageError */
export function operatorOptions(flags: OperatorFlags): RunOperatorOptions {
  const assertionUrls = { allow: list(flags.allowAssertionUrls), clusterCidrs: list(flags.clusterCidrs) };
  // A malformed entry fails here, before anything starts (UrlPolicyEntryError is a UsageError).
  new UrlPolicy({ ...assertionUrls, apiServer: [] });
  return {
    workers: integer(flags.workers, '--workers', 1),
    metricsPort: integer(flags.metricsPort, '--metrics-port', 0),
    logLevel: flags.logLevel,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.assertionsVia ? { assertionsVia: flags.assertionsVia } : {}),
    ...(flags.clusterDomain ? { clusterDomain: flags.clusterDomain } : {}),
    leaderElect: flags.leaderElect !== false,
    ...(flags.terminationGracePeriod !== undefined ? { terminationGracePeriodSeconds: integer(flags.terminationGracePeriod, '--termination-grace-period', 0) } : {}),
    ...(flags.leaseNamespace ? { leaseNamespace: flags.leaseNamespace } : {}),
    assertionUrls,
    manageSystemNamespaces: flags.manageSystemNamespaces === true,
  };
}

/**
 * The operator's entry: parses its flags and runs it until SIGINT/SIGTERM. Loads nothing of the
 * CLI. The only place that turns the operator's errors into an exit code.
 */
export async function runOperatorCommand(argv: readonly string[], io: OperatorIO = processIO): Promise<number> {
  let flags: OperatorFlags | undefined;
  try {
    await operatorProgram(io, (f) => (flags = f)).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
  }
  if (!flags) return EXIT_OK;
  try {
    return await runOperator(operatorOptions(flags));
  } catch (error) {
    if (error instanceof ClockworkError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}

// Test harness API (import from 'test/harness/index.ts').
export { CommandError, collectLines, repoRoot, run, waitFor, type RunOptions, type RunResult } from './exec.ts';
export {
  clusterInfo,
  faultControl,
  importImage,
  kubectl,
  kubectlApply,
  kubectlJson,
  leftovers,
  mountsUnder,
  processesUsing,
  resolveStateDir,
  startCluster,
  stopCluster,
  testStateDir,
  type ClusterInfo,
  type FaultAction,
  type FaultComponent,
  type KubectlOptions,
  type Profile,
} from './cluster.ts';
export { buildTestImages, docker, dockerUp, testImages } from './docker.ts';
export { goTool, kstatus, type GoTool, type KstatusResult } from './go-tools.ts';

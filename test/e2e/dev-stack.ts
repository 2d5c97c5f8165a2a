// A stack written to a scratch folder for the `clockwork dev` tests, so that a test can edit its
// files the way a developer saves them: the stack file, a module it imports (settings.ts: an env
// value) and a file it reads (config.txt: a `files` entry, with reload SIGHUP).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevStack {
  dir: string;
  file: string;
  setConfig(text: string): void;
  setGreeting(text: string): void;
  breakSettings(): void;
}

/** The stack lives inside the repository so that `import … from 'clockwork'` resolves. */
export function writeDevStack(root: string): DevStack {
  mkdirSync(join(root, '.test-results'), { recursive: true });
  const dir = mkdtempSync(join(root, '.test-results', 'dev-'));
  const file = join(dir, 'stack.ts');
  writeFileSync(
    file,
    `import { readFileSync } from 'node:fs';
import { Resource } from 'clockwork';
import { greeting } from './settings.ts';

const image = process.env.CLOCKWORK_TEST_IMAGE ?? 'clockwork-test/busybox:1';

// Prints its config when it starts and again on SIGHUP (what reload sends).
export const web = new Resource({
  name: 'web',
  image,
  command: ['sh', '-c', 'trap "echo reloaded: \\\\$(cat /etc/app/config.txt)" HUP; echo "started with $(cat /etc/app/config.txt) and $GREETING"; while true; do sleep 0.2; done'],
  env: { GREETING: greeting },
  files: [{ mountPath: '/etc/app/config.txt', content: readFileSync(new URL('./config.txt', import.meta.url), 'utf8') }],
  readiness: { exec: { command: ['cat', '/etc/app/config.txt'] }, periodSeconds: 1 },
  reload: { signal: 'SIGHUP' },
});

export const helper = new Resource({ name: 'helper', image, command: ['sh', '-c', 'echo helper up; exec sleep 3600'] }).connect(web);

export default [web, helper];
`,
  );
  const stack: DevStack = {
    dir,
    file,
    setConfig: (text) => writeFileSync(join(dir, 'config.txt'), text),
    setGreeting: (text) => writeFileSync(join(dir, 'settings.ts'), `export const greeting = '${text}';\n`),
    breakSettings: () => writeFileSync(join(dir, 'settings.ts'), 'export const greeting = ;\n'),
  };
  stack.setConfig('version 1');
  stack.setGreeting('hello');
  return stack;
}

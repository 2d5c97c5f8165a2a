import { spawn } from 'node:child_process';

/** Opens `url` in the desktop's browser (xdg-open, open, start); says so when it cannot. */
export function openBrowser(url: string, warn: (text: string) => void): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  try {
    const child = spawn(command!, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => warn(`could not open a browser (${command} is not available): open ${url} yourself\n`));
    child.unref();
  } catch {
    warn(`could not open a browser: open ${url} yourself\n`);
  }
}

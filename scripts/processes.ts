import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { connect } from 'node:net';

/** A child process started in its own process group, so that stopping it stops its children too. */
export interface Running {
  child: ChildProcess;
  stop(): Promise<void>;
}

export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions; cwd?: string } = {},
): Running {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: options.stdio ?? 'inherit',
    detached: true,
    cwd: options.cwd,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once something accepts TCP connections on the port; rejects on timeout or if `running` exits first. */
export async function waitForPort(port: number, what: string, running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`${what} exited with code ${running.child.exitCode} before it was ready`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer on port ${port} within ${timeoutMs / 1000} s`);
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

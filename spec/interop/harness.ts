/**
 * Runs real peer programs for interop tests: each under a hard time limit, in its own process group, with its
 * stdout split into lines that a test can wait for. Only processes started here are ever signalled, by PID.
 *
 * Call {@link stopAllPeers} from `afterEach` so that a failing test leaves nothing running.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How to start a peer process. */
export interface PeerSpawnOptions {
  /** Arguments after the program. */
  readonly args?: readonly string[];
  /** The process (group) is killed with SIGKILL after this long, whatever it is doing. Default 20 s. */
  readonly timeLimitMs?: number;
  /** Environment; defaults to the test's own. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Where to start looking and how long to wait in {@link PeerProcess.waitForLine}. */
export interface WaitOptions {
  /** Index into {@link PeerProcess.lines} to search from; default 0 (every line seen so far). */
  readonly from?: number;
  /** Default 5 s. */
  readonly timeoutMs?: number;
}

/** How a peer process ended. */
export interface PeerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const running = new Set<PeerProcess>();

const DEFAULT_TIME_LIMIT_MS = 20_000;
const DEFAULT_WAIT_MS = 5_000;
const KILL_GRACE_MS = 1_000;

/**
 * A peer program we started. Its stdout is collected line by line in {@link lines}, its stderr in {@link stderr}.
 *
 * @example
 * ```ts
 * const peer = PeerProcess.spawn('/usr/bin/python3', { args: [twistedPeerScript, 'server'] });
 * const line = await peer.waitForLine((l) => l.includes('"listening"'));
 * await peer.stop();
 * ```
 */
export class PeerProcess {
  /** Every complete stdout line so far, in order. */
  readonly lines: string[] = [];
  /** Every stderr line so far. */
  readonly stderr: string[] = [];
  /** Settles once the process has exited (never rejects). */
  readonly exited: Promise<PeerExit>;
  /** True once the hard time limit killed the process. */
  timedOut = false;

  private exit: PeerExit | undefined;
  private readonly lineListeners = new Set<() => void>();
  private readonly limitTimer: NodeJS.Timeout;

  private constructor(
    readonly command: string,
    private readonly child: ChildProcess,
    timeLimitMs: number,
  ) {
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${command}`);
    if (child.stdout === null || child.stderr === null) throw new Error(`${command}: stdio is not piped`);
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const listener of this.lineListeners) listener();
    });
    createInterface({ input: child.stderr }).on('line', (line) => this.stderr.push(line));
    child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        clearTimeout(this.limitTimer);
        running.delete(this);
        for (const listener of this.lineListeners) listener();
        resolve(this.exit);
      });
    });
    this.limitTimer = setTimeout(() => {
      this.timedOut = true;
      this.signal('SIGKILL');
    }, timeLimitMs);
    this.limitTimer.unref();
  }

  /** Starts `command` in a new process group with piped stdio and a hard time limit. */
  static spawn(command: string, options: PeerSpawnOptions = {}): PeerProcess {
    const child = spawn(command, options.args ?? [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: options.env ?? process.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const peer = new PeerProcess(command, child, options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
    running.add(peer);
    return peer;
  }

  /** The process id of the started program (also its process group id). */
  get pid(): number {
    return this.child.pid!;
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the first line from `options.from` on that satisfies `predicate`. */
  waitForLine(predicate: (line: string) => boolean, options: WaitOptions = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    let next = options.from ?? 0;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (; next < this.lines.length; next++) {
          const line = this.lines[next]!;
          if (predicate(line)) {
            done();
            resolve(line);
            return;
          }
        }
        if (this.exit !== undefined) {
          done();
          reject(
            new Error(`${this.command} exited (${describeExit(this.exit)}) before the awaited line\n${this.tail()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching line from ${this.command} within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.lineListeners.delete(check);
      };
      this.lineListeners.add(check);
      check();
    });
  }

  /** Writes `line` and a newline to the process's stdin. */
  send(line: string): void {
    const stdin = this.child.stdin;
    if (stdin === null || stdin.destroyed) throw new Error(`${this.command}: stdin is closed`);
    stdin.write(`${line}\n`);
  }

  /** Writes raw bytes to the process's stdin. */
  write(bytes: Uint8Array | string): void {
    this.child.stdin?.write(bytes);
  }

  /** Closes the process's stdin. */
  closeStdin(): void {
    this.child.stdin?.end();
  }

  /** SIGTERM to the process group, SIGKILL after a short grace; resolves once the process has exited. */
  async stop(): Promise<PeerExit> {
    if (this.exit !== undefined) return this.exit;
    this.signal('SIGTERM');
    const grace = setTimeout(() => {
      this.signal('SIGKILL');
    }, KILL_GRACE_MS);
    const exit = await this.exited;
    clearTimeout(grace);
    return exit;
  }

  /** The last stdout and stderr lines, for error messages. */
  tail(count = 20): string {
    const out = this.lines.slice(-count).map((l) => `  out| ${l}`);
    const err = this.stderr.slice(-count).map((l) => `  err| ${l}`);
    return [...out, ...err].join('\n');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exit !== undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      try {
        process.kill(this.pid, signal);
      } catch {
        // Already gone: the exit event is on its way.
      }
    }
  }
}

const describeExit = (exit: PeerExit): string => (exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`);

/** Stops every peer process started through {@link PeerProcess.spawn} that is still running. */
export const stopAllPeers = async (): Promise<void> => {
  await Promise.all([...running].map((peer) => peer.stop()));
};

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on: bound by the system, then released. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });

/**
 * Whether a socket listens on `port`, from the kernel's own table (`/proc/net/tcp` and `tcp6`: state 0A is LISTEN).
 * Read rather than probed: a probe that listened on the port itself, even briefly, could take it from a peer that
 * binds at that moment (socat then exits with EADDRINUSE, and nothing ever listens).
 */
const listening = async (port: number): Promise<boolean> => {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')),
  );
  return tables.some((table) =>
    table.split('\n').some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return local?.endsWith(hex) === true && state === '0A';
    }),
  );
};

/** Resolves once something listens on `port`. */
export const waitForListener = async (port: number, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await listening(port);
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await delay(100);
  }
};

/**
 * Interactive Telnet clients (tintin++, tf5, inetutils telnet) run in a pane of a tmux server of our own: a
 * private socket name (`tmux -L`), a private config (fixed `default-terminal`, no status line), a fixed window
 * size, and the program under `timeout -s KILL` so that it ends even if the test never stops it. Stopping kills
 * that tmux server by its own socket, then its PIDs, and removes the socket file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeer } from '../helpers/peers.js';
import { delay } from './harness.js';

/** The TERM that programs see inside our panes. */
export const PANE_TERM = 'xterm-256color';

/** How to start a {@link TmuxPane}. */
export interface TmuxPaneOptions {
  /** Columns and rows of the window (the pane fills it: there is no status line). Default 100x30. */
  readonly width?: number;
  readonly height?: number;
  /** Extra environment of the program (`HOME` is always a fresh empty directory). */
  readonly env?: Readonly<Record<string, string>>;
  /** The program is killed (SIGKILL) after this many seconds. Default 20. */
  readonly timeLimitSeconds?: number;
}

let started = 0;

/**
 * One program in one pane of a private tmux server.
 *
 * @example
 * ```ts
 * const pane = TmuxPane.start(['/usr/games/tt++', '-G', '-e', '#session mud 127.0.0.1 4000']);
 * await pane.waitForScreen((screen) => screen.includes('Welcome'));
 * pane.sendKeys('look', 'Enter');
 * pane.stop();
 * ```
 */
export class TmuxPane {
  private stopped = false;

  private constructor(
    private readonly tmux: string,
    /** The socket name given to `tmux -L`. */
    readonly socketName: string,
    private readonly home: string,
    readonly serverPid: number,
    readonly panePid: number,
    private readonly socketPath: string,
  ) {}

  /** Starts a detached session running `command` (the program and its arguments). */
  static start(command: readonly [string, ...string[]], options: TmuxPaneOptions = {}): TmuxPane {
    const tmux = requirePeer('tmux');
    const home = mkdtempSync(join(tmpdir(), 'rxtelnet-tmux-'));
    const socketName = `rxtelnet-${process.pid}-${++started}`;
    const config = join(home, 'tmux.conf');
    writeFileSync(config, `set -g default-terminal ${PANE_TERM}\nset -g status off\n`);
    const env = { HOME: home, ...options.env };
    const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    const limit = String(options.timeLimitSeconds ?? 20);
    try {
      execFileSync(tmux, [
        '-L',
        socketName,
        '-f',
        config,
        'new-session',
        '-d',
        '-x',
        String(options.width ?? 100),
        '-y',
        String(options.height ?? 30),
        ...envArgs,
        '/usr/bin/timeout',
        '-s',
        'KILL',
        limit,
        ...command,
      ]);
      const [pids = '', socketPath = ''] = execFileSync(
        tmux,
        ['-L', socketName, 'display-message', '-p', '#{pid} #{pane_pid}\n#{socket_path}'],
        { encoding: 'utf8' },
      ).split('\n');
      const [serverPid, panePid] = pids.split(' ').map(Number);
      if (serverPid === undefined || panePid === undefined || socketPath === '')
        throw new Error('tmux reported no PIDs');
      return new TmuxPane(tmux, socketName, home, serverPid, panePid, socketPath);
    } catch (error) {
      killServer(tmux, socketName);
      rmSync(home, { recursive: true, force: true });
      throw error;
    }
  }

  /** The pane's size as tmux reports it. */
  size(): { readonly width: number; readonly height: number } {
    const [width, height] = this.tmuxOutput(['display-message', '-p', '-t', '0', '#{pane_width} #{pane_height}'])
      .trim()
      .split(' ')
      .map(Number);
    return { width: width ?? 0, height: height ?? 0 };
  }

  /** Types `keys` into the pane (tmux key names such as `Enter` are interpreted). */
  sendKeys(...keys: string[]): void {
    this.tmuxOutput(['send-keys', '-t', '0', ...keys]);
  }

  /** What the pane shows now, as text. */
  screen(): string {
    return this.tmuxOutput(['capture-pane', '-p', '-t', '0']);
  }

  /** Everything the pane showed, scrollback included; with `escapes`, with its colour and attribute sequences. */
  history(escapes = false): string {
    return this.tmuxOutput(['capture-pane', '-p', '-J', '-S', '-', ...(escapes ? ['-e'] : []), '-t', '0']);
  }

  /** Resolves with the screen once it satisfies `predicate`; rejects with the last screen after `timeoutMs`. */
  async waitForScreen(predicate: (screen: string) => boolean, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.stopped ? '' : this.screen();
      if (predicate(screen)) return screen;
      if (Date.now() > deadline)
        throw new Error(`the pane did not show what was awaited within ${timeoutMs} ms:\n${screen}`);
      await delay(100);
    }
  }

  /** Kills our tmux server by its socket, then both PIDs, and removes the private HOME and the socket file. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    killServer(this.tmux, this.socketName);
    for (const pid of [this.panePid, this.serverPid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already exited with the tmux server.
      }
    }
    rmSync(this.home, { recursive: true, force: true });
    rmSync(this.socketPath, { force: true });
  }

  private tmuxOutput(args: readonly string[]): string {
    return execFileSync(this.tmux, ['-L', this.socketName, ...args], { encoding: 'utf8', timeout: 5_000 });
  }
}

const killServer = (tmux: string, socketName: string): void => {
  try {
    execFileSync(tmux, ['-L', socketName, 'kill-server'], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    // The server may already be gone.
  }
};

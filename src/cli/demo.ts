/**
 * `rxtelnet` without arguments (`npm start`): the demo MUD on a free loopback port and the client against it
 * with `--trace`, in one process. With a terminal on stdin it is interactive; otherwise the client plays
 * {@link demoScript} and the process exits when the server says goodbye.
 *
 * @module
 */
import { runClient } from './client.js';
import type { ClientIo } from './client.js';
import { createScreen } from './screen.js';
import { startServer } from './server/server.js';

/** The scripted session: log in (name, password), look, walk, talk, quit. */
export const demoScript: readonly string[] = [
  'Ada',
  'analytical-engine',
  'look',
  'north',
  'say Hello from the rxtelnet demo!',
  'up',
  'down',
  'south',
  'who',
  'quit',
];

/**
 * Runs the demo; resolves with the exit code. The server's log goes to stderr prefixed with `server:`, with the
 * client's trace (on a terminal both are dimmed and kept off the prompt); the session's text goes to stdout.
 *
 * @example
 * ```text
 * process.exitCode = await runDemo({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 */
export const runDemo = async (io: ClientIo): Promise<number> => {
  const screen = createScreen(io);
  const server = await startServer({ host: '127.0.0.1', port: 0, tickInterval: 2000 }, (line) => {
    screen.trace(`server: ${line}`);
  });
  const { address, port } = server.address;
  const interactive = io.stdin.isTTY === true;
  screen.trace(
    `rxtelnet demo: a MUD on ${address}:${port}, and a client tracing on stderr ("<<" server to client, ">>" client to server).`,
  );
  screen.trace(
    interactive ? 'Type commands; Ctrl-] then quit leaves.' : 'stdin is not a terminal: playing a scripted session.',
  );
  try {
    return await runClient(
      { host: address, port, trace: true, ...(interactive ? {} : { script: demoScript }) },
      io,
      screen,
    );
  } finally {
    server.stop();
  }
};

#!/usr/bin/env node
/**
 * The `rxtelnet` command: parses the command line, runs the subcommand, and turns failures into one line on
 * stderr and a non-zero exit code.
 *
 * @module
 */
import process from 'node:process';
import { parseArgs, usage } from './args.js';
import type { CliCommand } from './args.js';
import { runClient } from './client.js';
import type { ClientIo } from './client.js';
import { runDemo } from './demo.js';
import { describeFailure } from './failure.js';
import { startGateway } from './gateway.js';
import { startProxy } from './proxy.js';
import { startServer } from './server/server.js';

/** Exit code of a command line that cannot be run. */
const USAGE_EXIT = 2;
/** Exit code of a failure while running. */
const FAILURE_EXIT = 1;

const io: ClientIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

const printLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
const untilStopped = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/** Where a command connects or listens, for error messages. */
const targetOf = (command: CliCommand): string => {
  switch (command._tag) {
    case 'Connect':
      return `${command.host}:${command.port}`;
    case 'Serve':
      return `${command.host}:${command.port}`;
    case 'Proxy':
      return `127.0.0.1:${command.listenPort} -> ${command.host}:${command.port}`;
    case 'Gateway':
      return `${command.host}:${command.port} -> ${command.to.host}:${command.to.port}`;
    case 'Help':
    case 'Demo':
      return 'the demo';
  }
};

const run = async (command: CliCommand): Promise<number> => {
  switch (command._tag) {
    case 'Help':
      process.stdout.write(usage);
      return 0;
    case 'Demo':
      return runDemo(io);
    case 'Connect':
      return runClient({ host: command.host, port: command.port, trace: command.trace }, io);
    case 'Serve': {
      const server = await startServer({ host: command.host, port: command.port }, printLine);
      printLine(`rxtelnet demo MUD listening on ${server.address.address}:${server.address.port}`);
      await untilStopped();
      server.stop();
      return 0;
    }
    case 'Proxy': {
      const proxy = await startProxy(
        { listenPort: command.listenPort, host: command.host, port: command.port },
        printLine,
      );
      printLine(
        `rxtelnet proxy listening on ${proxy.address.address}:${proxy.address.port}, relaying to ${command.host}:${command.port}`,
      );
      await untilStopped();
      proxy.stop();
      return 0;
    }
    case 'Gateway': {
      const gateway = await startGateway(command, printLine);
      await untilStopped();
      await gateway.stop();
      return 0;
    }
  }
};

/** Exits once stdout and stderr have taken everything written so far. */
const exit = (code: number): void => {
  process.stdout.write('', () => {
    process.stderr.write('', () => {
      process.exit(code);
    });
  });
};

const parsed = parseArgs(process.argv.slice(2));
if (parsed._tag === 'UsageError') {
  process.stderr.write(`rxtelnet: ${parsed.message} (see rxtelnet --help)\n`);
  exit(USAGE_EXIT);
} else {
  run(parsed).then(exit, (error: unknown) => {
    process.stderr.write(`rxtelnet: ${describeFailure(error, targetOf(parsed))}\n`);
    exit(FAILURE_EXIT);
  });
}

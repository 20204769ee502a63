#!/usr/bin/env node
/**
 * The `rxtelnet` command: parses the command line, runs the subcommand, and turns failures into one line on
 * stderr and a non-zero exit code.
 *
 * @module
 */
import process from 'node:process';
import { VERSION } from '../index.js';
import { formatTarget, parseArgs, usage } from './args.js';
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
    case 'Serve':
      return formatTarget(command.host, command.port);
    case 'Proxy':
      return `127.0.0.1:${command.listenPort} -> ${formatTarget(command.host, command.port)}`;
    case 'Gateway':
      return `${formatTarget(command.host, command.port)} -> ${formatTarget(command.to.host, command.to.port)}`;
    case 'Help':
    case 'Version':
    case 'Demo':
      return 'the demo';
  }
};

/** Whether a failure of `command` happened connecting or listening (the proxy does both: its error code tells). */
const actionOf = (command: CliCommand): 'connect' | 'listen' | undefined =>
  command._tag === 'Connect' ? 'connect' : command._tag === 'Serve' ? 'listen' : undefined;

const run = async (command: CliCommand): Promise<number> => {
  switch (command._tag) {
    case 'Help':
      process.stdout.write(usage);
      return 0;
    case 'Version':
      printLine(`rxtelnet ${VERSION}`);
      return 0;
    case 'Demo':
      return runDemo(io);
    case 'Connect':
      return runClient({ host: command.host, port: command.port, trace: command.trace }, io);
    case 'Serve': {
      const server = await startServer(
        { host: command.host, port: command.port, proxyProtocol: command.proxyProtocol === true },
        printLine,
      );
      printLine(`rxtelnet demo MUD listening on ${formatTarget(server.address.address, server.address.port)}`);
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
        `rxtelnet proxy listening on ${formatTarget(proxy.address.address, proxy.address.port)}, relaying to ${formatTarget(command.host, command.port)}`,
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
    process.stderr.write(`rxtelnet: ${describeFailure(error, targetOf(parsed), actionOf(parsed))}\n`);
    exit(FAILURE_EXIT);
  });
}

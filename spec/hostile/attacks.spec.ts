/**
 * Raw-socket attackers against a real rxtelnet server on 127.0.0.1: 100 MB of random bytes, a reset in the middle
 * of a negotiation, a negotiation storm, an endless subnegotiation and a slowloris crowd. In each case the server
 * lives, its memory stays within a stated bound, a well-behaved client on the same server is served, and the
 * outcome is a typed warning, close reason or refusal.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WarningCode } from '../../src/codec/events.js';
import { ConnectionClosedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { CloseReason, TelnetConnection } from '../../src/session/connection.js';
import { closedWithin, delay, rawClient, startServer } from './support.js';
import type { HostileServer } from './support.js';

const { IAC, DO, DONT, WILL, SB } = Command;
const { ECHO, SGA, GMCP, TTYPE } = TelnetOption;
const MiB = 1024 * 1024;
/** The random flood: 100 MB unless HOSTILE_RANDOM_MB says otherwise. */
const RANDOM_BYTES = Number(process.env.HOSTILE_RANDOM_MB ?? 100) * 1_000_000;
/** Growth of the server process's memory (heap plus array buffers) each case accepts. */
const BOUND = 64 * MiB;

const CLOSE_REASONS: ReadonlySet<CloseReason['_tag']> = new Set([
  'ClosedByUs',
  'ClosedByPeer',
  'CompressionFailed',
  'OutputOverflow',
  'IdleTimeout',
  'TransportFailed',
  'InputFailed',
]);
const WARNING_CODES: ReadonlySet<WarningCode> = new Set<WarningCode>([
  'StraySE',
  'EmptySubnegotiation',
  'UnterminatedSubnegotiation',
  'SubnegotiationTooLong',
  'Truncated',
  'NegotiationViolation',
  'NegotiationStorm',
  'Inflate',
  'Deflate',
  'HeldInputDropped',
  'CompressionUnavailable',
  'PolicyFailed',
]);

const servers: HostileServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.stop();
  await Promise.all(sockets.splice(0).map((socket) => closedWithin(socket, 1000)));
});

const heapAndBuffers = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

/** Samples the memory growth from now on; `stop()` returns the peak growth in bytes. */
const watchMemory = (): { stop: () => number } => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const before = heapAndBuffers();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, heapAndBuffers());
  }, 20);
  return {
    stop: () => {
      clearInterval(sampler);
      return peak - before;
    },
  };
};

/** Collects the codes of the warnings of every connection given to it. */
const warningCodes = (): { watch: (connection: TelnetConnection) => void; codes: Set<WarningCode> } => {
  const codes = new Set<WarningCode>();
  return {
    codes,
    watch: (connection) => {
      connection.warnings$.subscribe((event) => codes.add(event.code));
    },
  };
};

/** A well-behaved client: sends one line and resolves when the server's first answer has come. */
const served = async (port: number): Promise<void> => {
  const socket = await rawClient(port);
  sockets.push(socket);
  socket.write('look\r\n');
  await new Promise<void>((resolve) => {
    let seen = '';
    socket.on('data', (bytes: Buffer) => {
      seen += bytes.toString('latin1');
      if (seen.includes('answer 1')) resolve();
    });
  });
  socket.end();
};

/** Writes `total` bytes of `make(size)` in 64 KiB pieces, waiting for drain; stops early if the socket closes. */
const pour = async (socket: Socket, total: number, make: (size: number) => Buffer): Promise<number> => {
  let sent = 0;
  while (sent < total && !socket.destroyed) {
    const piece = make(Math.min(65_536, total - sent));
    sent += piece.length;
    if (!socket.write(piece)) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  return sent;
};

const answer = (n: number): string => `answer ${n}\r\n`;

describe('hostile peers on a real server', { timeout: 120_000 }, () => {
  it('100 MB of random bytes: decoded with typed warnings, memory bounded, others served', async () => {
    const warnings = warningCodes();
    const server = await startServer(
      { policy: policyOf({ local: [ECHO, SGA], remote: [TTYPE, GMCP] }) },
      answer,
      warnings.watch,
      false,
    );
    servers.push(server);
    const memory = watchMemory();
    const attacker = await rawClient(server.port);
    sockets.push(attacker);
    attacker.on('data', () => undefined); // reads and drops every answer
    const attacked = await server.next();
    const pouring = pour(attacker, RANDOM_BYTES, (size) => randomBytes(size));
    await delay(200);
    await served(server.port);
    await server.next();
    const sent = await pouring;
    attacker.end();
    const { reason } = await attacked.closed;
    const growth = memory.stop();
    if (process.env.HOSTILE_REPORT !== undefined) {
      console.log(
        `random: ${sent} bytes, ${reason._tag}, warnings ${[...warnings.codes].join(' ')}, heap+buffers +${(growth / MiB).toFixed(1)} MiB`,
      );
    }
    expect(CLOSE_REASONS.has(reason._tag)).toBe(true);
    for (const code of warnings.codes) expect(WARNING_CODES.has(code)).toBe(true);
    expect(warnings.codes.size).toBeGreaterThan(0);
    expect(growth).toBeLessThan(BOUND);
  });

  it('a reset in the middle of a negotiation: the pending request errors ConnectionClosedError, the close is typed', async () => {
    const outcomes: Promise<unknown>[] = [];
    const server = await startServer({ policy: policyOf({ remote: [TTYPE] }) }, answer, (connection) => {
      outcomes.push(firstValueFrom(connection.will(ECHO)).catch((error: unknown) => error));
    });
    servers.push(server);
    const attacker = await rawClient(server.port);
    sockets.push(attacker);
    const attacked = await server.next();
    await new Promise<void>((resolve) => {
      attacker.once('data', () => {
        resolve(); // IAC WILL ECHO
      });
    });
    attacker.write(Uint8Array.of(IAC, WILL, TTYPE, IAC, SB, TTYPE, 0, 0x78, 0x74)); // an SB cut short
    await delay(50);
    attacker.resetAndDestroy();
    const { reason } = await attacked.closed;
    expect(['TransportFailed', 'ClosedByPeer']).toContain(reason._tag);
    expect(await outcomes[0]).toBeInstanceOf(ConnectionClosedError);
    await served(server.port);
  });

  it('a negotiation storm: the answers stay bounded and the server warns NegotiationStorm', async () => {
    const warnings = warningCodes();
    const server = await startServer({ policy: policyOf({ local: [ECHO, SGA] }) }, answer, warnings.watch);
    servers.push(server);
    const attacker = await rawClient(server.port);
    sockets.push(attacker);
    let answered = 0;
    attacker.on('data', (bytes: Buffer) => {
      answered += bytes.length;
    });
    const attacked = await server.next();
    const flip = Buffer.from(Uint8Array.of(IAC, DO, ECHO, IAC, DONT, ECHO, IAC, DO, SGA, IAC, DONT, SGA));
    const sent = await pour(attacker, 4 * MiB, (size) =>
      Buffer.concat(Array(Math.ceil(size / flip.length)).fill(flip)),
    );
    await delay(300);
    expect(warnings.codes).toContain('NegotiationStorm');
    // Without the guard every one of the ~350,000 requests would be answered (3 bytes each).
    expect(answered).toBeLessThan(sent / 100);
    await served(server.port);
    attacker.end();
    expect(CLOSE_REASONS.has((await attacked.closed).reason._tag)).toBe(true);
  });

  it('an endless subnegotiation: dropped past maxSubnegotiation with SubnegotiationTooLong, memory bounded', async () => {
    const warnings = warningCodes();
    const server = await startServer({ policy: policyOf({ remote: [GMCP] }) }, answer, warnings.watch, false);
    servers.push(server);
    const memory = watchMemory();
    const attacker = await rawClient(server.port);
    sockets.push(attacker);
    attacker.write(Uint8Array.of(IAC, WILL, GMCP, IAC, SB, GMCP));
    await server.next();
    await pour(attacker, 32 * MiB, (size) => Buffer.alloc(size, 0x7b));
    await delay(200);
    expect(warnings.codes).toContain('SubnegotiationTooLong');
    expect(memory.stop()).toBeLessThan(BOUND);
    await served(server.port);
  });

  it('a slowloris crowd: the per-address cap refuses the rest at once; others and the ones kept are served', async () => {
    const server = await startServer({ maxConnectionsPerAddress: 10, idleTimeout: 5_000 }, answer);
    servers.push(server);
    const crowd = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const socket = connect({ host: '127.0.0.1', port: server.port });
        sockets.push(socket);
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => {
          socket.once('connect', () => {
            resolve();
          });
        });
        return { socket };
      }),
    );
    const drip = setInterval(() => {
      for (const { socket } of crowd) if (!socket.destroyed) socket.write('l');
    }, 100);
    await delay(1500);
    clearInterval(drip);
    const open = crowd.filter(({ socket }) => !socket.destroyed);
    expect(open).toHaveLength(10);
    // The ones kept are not idle: a byte every 100 ms. A client from another address is served meanwhile.
    const other = connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
    sockets.push(other);
    other.write('look\r\n');
    await new Promise<void>((resolve) => {
      other.on('data', (bytes: Buffer) => {
        if (bytes.includes('answer 1')) resolve();
      });
    });
    for (const { socket } of open) socket.write('\r\n');
    await delay(100);
    expect(open.every(({ socket }) => !socket.destroyed)).toBe(true);
  });
});

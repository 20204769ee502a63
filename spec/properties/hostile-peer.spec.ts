/**
 * A hostile peer: arbitrary bytes, negotiations and subnegotiations of every option the MUD presets speak, cut at
 * arbitrary points, against a server and a client connection with every option helper subscribed. Nothing may
 * throw, every error must be a typed value or a typed error, and the connection must still work afterwards.
 */
import fc from 'fast-check';
import { catchError, EMPTY, type Observable, Subject, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { isTelnetError } from '../../src/negotiation/errors.js';
import { createConnection } from '../../src/session/connection.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import { answerCharset } from '../../src/option-helpers/charset.js';
import { gmcpMessages } from '../../src/option-helpers/gmcp.js';
import { msdpVariables } from '../../src/option-helpers/msdp.js';
import { msspTables } from '../../src/option-helpers/mssp.js';
import { windowSizes } from '../../src/option-helpers/naws.js';
import { answerEnvironment, requestEnvironment } from '../../src/option-helpers/new-environ.js';
import { mudClientPolicy, mudServerPolicy } from '../../src/options/presets.js';
import { standardMudClient } from '../../src/option-helpers/standard-mud-client.js';
import { answerTerminalSpeed } from '../../src/option-helpers/tspeed.js';
import { requestTerminalTypes } from '../../src/option-helpers/ttype.js';
import { answerDisplayLocation } from '../../src/option-helpers/xdisploc.js';
import { answerStatus, requestStatus } from '../../src/option-helpers/status.js';
import type { WindowSize } from '../../src/options/naws.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, SB, SE } = Command;
const options = [
  TelnetOption.BINARY,
  TelnetOption.ECHO,
  TelnetOption.SGA,
  TelnetOption.TM,
  TelnetOption.TTYPE,
  TelnetOption.EOR,
  TelnetOption.NAWS,
  TelnetOption.TSPEED,
  TelnetOption.LINEMODE,
  TelnetOption.XDISPLOC,
  TelnetOption.NEW_ENVIRON,
  TelnetOption.CHARSET,
  TelnetOption.MSDP,
  TelnetOption.MSSP,
  TelnetOption.MCCP2,
  TelnetOption.MCCP3,
  TelnetOption.GMCP,
  TelnetOption.STATUS,
];

/** Bytes a hostile peer might send: noise, commands, negotiations, and subnegotiations with random payloads. */
const hostileRecord = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes]),
  fc.tuple(fc.integer({ min: 236, max: 255 })).map(([command]) => [IAC, command]),
  fc
    .tuple(fc.integer({ min: 251, max: 254 }), fc.constantFrom(...options))
    .map(([verb, option]) => [IAC, verb, option]),
  fc
    .tuple(fc.constantFrom(...options), fc.uint8Array({ maxLength: 24 }), fc.boolean())
    .map(([option, payload, escaped]) => [
      IAC,
      SB,
      option,
      ...[...payload].flatMap((byte) => (byte === IAC && escaped ? [IAC, IAC] : [byte])),
      IAC,
      SE,
    ]),
);

/** Every helper of one role, with any error it ends with checked to be a typed one. */
const subscribeAll = (streams: readonly Observable<unknown>[], errors: unknown[]): void => {
  for (const stream of streams) {
    stream.pipe(catchError((error: unknown) => (errors.push(error), EMPTY))).subscribe();
  }
};

const serverHelpers = (connection: TelnetConnection): Observable<unknown>[] => [
  requestTerminalTypes(connection, { timeout: 1000 }),
  windowSizes(connection),
  gmcpMessages(connection),
  msdpVariables(connection),
  requestEnvironment(connection),
  answerCharset(connection, ['UTF-8', 'ISO-8859-1']),
  answerStatus(connection),
];

const clientHelpers = (connection: TelnetConnection, sizes: Observable<WindowSize>): Observable<unknown>[] => [
  standardMudClient(connection, { terminalTypes: ['RXTELNET', 'xterm', 'MTTS 7'], windowSizes: sizes }),
  msspTables(connection),
  gmcpMessages(connection),
  answerEnvironment(connection, [{ kind: 'VAR', name: 'USER', value: 'guest' }]),
  answerTerminalSpeed(connection, { transmit: 38400, receive: 38400 }),
  answerDisplayLocation(connection, 'localhost:0'),
  requestStatus(connection),
];

describe('a hostile peer', () => {
  it.each(['server', 'client'] as const)('cannot make a %s connection throw, and leaves it usable', (role) => {
    fc.assert(
      fc.property(fc.array(hostileRecord, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (records, cuts) => {
        const transport = manualTransport();
        const scheduler = new VirtualTimeScheduler();
        const connection = createConnection(transport, {
          policy: role === 'server' ? mudServerPolicy : mudClientPolicy,
          scheduler,
        });
        const errors: unknown[] = [];
        const sizes = new Subject<WindowSize>();
        subscribeAll(role === 'server' ? serverHelpers(connection) : clientHelpers(connection, sizes), errors);
        sizes.next({ width: 255, height: 255 });
        const wire = Uint8Array.from(records.flat());
        const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, wire.length]) {
          transport.receiveChunk(wire.subarray(from, point));
          from = point;
        }
        scheduler.flush();
        expect(errors.filter((error) => !isTelnetError(error))).toEqual([]);
        // Still usable: data written is escaped and sent, and a new request goes out.
        transport.clearWritten();
        expect(connection.write(Uint8Array.of(IAC))).toBe(true);
        expect(transport.wire().slice(0, 2)).toEqual([IAC, IAC]);
        transport.peerCloses();
        scheduler.flush();
      }),
      { numRuns: 10_000 },
    );
  });
});

import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import {
  standardGmcpCodecs,
  type GmcpMessage,
  type TypedGmcpMessage,
  type UntypedGmcpMessage,
} from '../../src/options/gmcp.js';
import { gmcpMessages, sendGmcp, sendGmcpMessage } from '../../src/option-helpers/gmcp.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, SB, SE } = Command;
const { GMCP } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const gmcp = (s: string): number[] => [IAC, SB, GMCP, ...text(s), IAC, SE];

describe('gmcpMessages', () => {
  it('decodes messages while GMCP is on; a bad one is a Left and the stream goes on', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [GMCP] }) });
    const seen: E.Either<PayloadError, GmcpMessage>[] = [];
    let completed = false;
    gmcpMessages(connection).subscribe({ next: (m) => seen.push(m), complete: () => (completed = true) });
    transport.receive(...gmcp('Core.Ping')); // before WILL GMCP: ignored
    transport.receive(
      IAC,
      WILL,
      GMCP,
      ...gmcp('Char.Vitals {"hp":10}'),
      ...gmcp('Room.Info {bad'),
      ...gmcp('Core.Ping'),
    );
    transport.receive(IAC, WONT, GMCP, ...gmcp('Core.Ping'));
    transport.peerCloses();
    expect(seen).toEqual([
      E.right({ name: 'Char.Vitals', json: { hp: 10 } }),
      E.left(expect.objectContaining({ option: GMCP, path: 'body' })),
      E.right({ name: 'Core.Ping', json: undefined }),
    ]);
    expect(completed).toBe(true);
  });

  it('checks bodies with a codec registry, with the path of a failure', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [GMCP] }) });
    const codecs = { ...standardGmcpCodecs, 'Room.Info': t.type({ num: t.number }) };
    const seen: E.Either<PayloadError, TypedGmcpMessage<typeof codecs> | UntypedGmcpMessage>[] = [];
    gmcpMessages(connection, codecs).subscribe((m) => seen.push(m));
    transport.receive(
      IAC,
      WILL,
      GMCP,
      ...gmcp('room.info {"num":1}'),
      ...gmcp('Room.Info {"num":"x"}'),
      ...gmcp('Char.Vitals {"hp":"9","maxhp":9,"mp":1,"maxmp":1}'),
    );
    expect(seen).toEqual([
      E.right({ _tag: 'Typed', name: 'Room.Info', body: { num: 1 } }),
      E.left(expect.objectContaining({ path: 'body.num' })),
      E.right({ _tag: 'Typed', name: 'Char.Vitals', body: { hp: 9, maxhp: 9, mp: 1, maxmp: 1 } }),
    ]);
  });

  it('passes packages without a codec through untyped (Room.Info with the standard codecs), or rejects them', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [GMCP] }) });
    const passed: E.Either<PayloadError, TypedGmcpMessage<typeof standardGmcpCodecs> | UntypedGmcpMessage>[] = [];
    const rejected: E.Either<PayloadError, TypedGmcpMessage<typeof standardGmcpCodecs>>[] = [];
    gmcpMessages(connection, standardGmcpCodecs).subscribe((m) => passed.push(m));
    gmcpMessages(connection, standardGmcpCodecs, { unknownPackages: 'reject' }).subscribe((m) => rejected.push(m));
    transport.receive(IAC, WILL, GMCP, ...gmcp('Room.Info {"num":6008,"name":"Hall"}'), ...gmcp('Char.Vitals {bad'));
    expect(passed).toEqual([
      E.right({ _tag: 'Untyped', name: 'Room.Info', json: { num: 6008, name: 'Hall' } }),
      E.left(expect.objectContaining({ path: 'body' })),
    ]);
    expect(rejected).toEqual([
      E.left(expect.objectContaining({ path: 'name', detail: 'no codec for Room.Info' })),
      E.left(expect.objectContaining({ path: 'body' })),
    ]);
  });

  it('applies the given limits', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [GMCP] }) });
    const seen: unknown[] = [];
    const limits = { maxNameBytes: 64, maxJsonBytes: 1024, maxJsonDepth: 2 };
    gmcpMessages(connection, standardGmcpCodecs, { limits }).subscribe((m) => seen.push(m));
    transport.receive(IAC, WILL, GMCP, ...gmcp('Room.Map [[[1]]]'), ...gmcp('Room.Map [[1]]'));
    expect(seen).toEqual([
      E.left(expect.objectContaining({ path: 'body', detail: 'JSON nested deeper than 2' })),
      E.right({ _tag: 'Untyped', name: 'Room.Map', json: [[1]] }),
    ]);
  });
});

describe('sendGmcp and sendGmcpMessage', () => {
  it('send only while GMCP is on either side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [GMCP] }) });
    expect(sendGmcp(connection, 'Core.Ping')).toBe(false);
    transport.receive(IAC, DO, GMCP);
    transport.clearWritten();
    expect(sendGmcp(connection, 'Comm.Channel.Text', { text: 'ÿ' })).toBe(true);
    expect(sendGmcpMessage(connection, standardGmcpCodecs, 'Core.Supports.Set', [{ name: 'Char', version: 1 }])).toBe(
      true,
    );
    expect(transport.wire()).toEqual([
      IAC,
      SB,
      GMCP,
      ...text('Comm.Channel.Text {"text":"'),
      0xc3,
      0xbf,
      ...text('"}'),
      IAC,
      SE,
      ...gmcp('Core.Supports.Set ["Char 1"]'),
    ]);
  });
});

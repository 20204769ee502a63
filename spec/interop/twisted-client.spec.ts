/**
 * Twisted's Telnet client (twisted.conch.telnet) against an rxtelnet server: the mirror of
 * twisted-server.spec.ts, with rxtelnet on the listening side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filter } from 'rxjs';
import { ConnectionClosedError, OptionRefusedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { ConnectionOptions } from '../../src/session/connection.js';
import { stopAllPeers } from './harness.js';
import { errorOf, first, RxtelnetEnds, settle, type ConnectionLog } from './rxtelnet-ends.js';
import { TwistedPeer, type TwistedPeerOptions } from './twisted.js';
import { awkwardBytes, ignoredBytes, nvtWire, result } from './twisted-fixtures.js';

const ends = new RxtelnetEnds();
const peers: TwistedPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.stop()));
  await ends.closeAll();
  await stopAllPeers();
});

/** Starts an rxtelnet server, connects a Twisted client to it, and waits until both ends have the connection. */
const start = async (
  twisted: TwistedPeerOptions = {},
  ours: ConnectionOptions = {},
): Promise<{ client: TwistedPeer; server: ConnectionLog }> => {
  const listening = await ends.server(ours);
  const client = TwistedPeer.client(listening.port, { timeLimitMs: 20_000, ...twisted });
  peers.push(client);
  const server = await listening.accepted();
  await client.waitForEvent((e) => e.ev === 'connected');
  return { client, server };
};

/** A server's usual opening: DO NAWS, DO TTYPE, WILL SGA, WILL ECHO. */
const opening = [
  ['do', TelnetOption.NAWS],
  ['do', TelnetOption.TTYPE],
  ['will', TelnetOption.SGA],
  ['will', TelnetOption.ECHO],
] as const;

describe('Twisted client -> rxtelnet server: we ask', () => {
  it('our opening: requests the Twisted client accepts succeed, the ones it refuses fail with OptionRefusedError', async () => {
    const { client, server } = await start({ accept: { local: [TelnetOption.NAWS], remote: [TelnetOption.ECHO] } });
    const outcomes = await Promise.all(opening.map(([verb, option]) => settle(server.connection[verb](option))));
    expect(outcomes[0]).toEqual({ ok: true, value: { option: TelnetOption.NAWS, side: 'remote', enabled: true } });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { _tag: 'OptionRefusedError', option: TelnetOption.TTYPE, side: 'remote' },
    });
    expect(outcomes[2]).toMatchObject({
      ok: false,
      error: { _tag: 'OptionRefusedError', option: TelnetOption.SGA, side: 'local' },
    });
    expect(outcomes[3]).toEqual({ ok: true, value: { option: TelnetOption.ECHO, side: 'local', enabled: true } });
    expect(errorOf(outcomes[1]!)).toBeInstanceOf(OptionRefusedError);
    expect(errorOf(outcomes[2]!)).toBeInstanceOf(OptionRefusedError);
    const states = await first(server.connection.options$);
    expect(new Map(states)).toEqual(
      new Map([
        [TelnetOption.NAWS, { local: false, remote: true }],
        [TelnetOption.TTYPE, { local: false, remote: false }],
        [TelnetOption.SGA, { local: false, remote: false }],
        [TelnetOption.ECHO, { local: true, remote: false }],
      ]),
    );
    expect(client.events().filter((e) => e.ev === 'enableLocal' || e.ev === 'enableRemote')).toEqual([
      { ev: 'enableLocal', option: TelnetOption.NAWS, accepted: true },
      { ev: 'enableLocal', option: TelnetOption.TTYPE, accepted: false },
      { ev: 'enableRemote', option: TelnetOption.SGA, accepted: false },
      { ev: 'enableRemote', option: TelnetOption.ECHO, accepted: true },
    ]);
  });

  it('dont/wont are acknowledged: the Observable completes and Twisted reports disableLocal/disableRemote', async () => {
    const { client, server } = await start({ accept: { local: [TelnetOption.NAWS], remote: [TelnetOption.ECHO] } });
    await expect(settle(server.connection.do(TelnetOption.NAWS))).resolves.toMatchObject({ ok: true });
    await expect(settle(server.connection.will(TelnetOption.ECHO))).resolves.toMatchObject({ ok: true });
    const from = client.mark();
    await expect(settle(server.connection.dont(TelnetOption.NAWS))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.NAWS, side: 'remote', enabled: false },
    });
    await expect(settle(server.connection.wont(TelnetOption.ECHO))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.ECHO, side: 'local', enabled: false },
    });
    await expect(client.waitForEvent((e) => e.ev === 'disableLocal', { from })).resolves.toEqual({
      ev: 'disableLocal',
      option: TelnetOption.NAWS,
    });
    await expect(client.waitForEvent((e) => e.ev === 'disableRemote', { from })).resolves.toEqual({
      ev: 'disableRemote',
      option: TelnetOption.ECHO,
    });
  });
});

describe('Twisted client -> rxtelnet server: the peer asks', () => {
  it('answers the Twisted client by its policy: accepted requests succeed, refused ones fail with OptionRefused', async () => {
    const { client, server } = await start(
      {
        greet: [
          ['will', TelnetOption.NAWS],
          ['will', TelnetOption.TTYPE],
          ['do', TelnetOption.SGA],
          ['do', TelnetOption.ECHO],
        ],
      },
      { policy: policyOf({ local: [TelnetOption.SGA], remote: [TelnetOption.NAWS] }) },
    );
    await expect(result(client, 'greet:will:31')).resolves.toEqual({ ev: 'result', id: 'greet:will:31', ok: true });
    await expect(result(client, 'greet:will:24')).resolves.toEqual({
      ev: 'result',
      id: 'greet:will:24',
      ok: false,
      error: 'OptionRefused',
    });
    await expect(result(client, 'greet:do:3')).resolves.toMatchObject({ ok: true });
    await expect(result(client, 'greet:do:1')).resolves.toMatchObject({ ok: false, error: 'OptionRefused' });
    const states = await first(server.connection.options$);
    expect(new Map([...states].filter(([, s]) => s.local || s.remote))).toEqual(
      new Map([
        [TelnetOption.NAWS, { local: false, remote: true }],
        [TelnetOption.SGA, { local: true, remote: false }],
      ]),
    );
  });

  it('acknowledges the Twisted client disabling an option it had agreed to (Twisted dont/wont)', async () => {
    const { client, server } = await start(
      {
        greet: [
          ['will', TelnetOption.NAWS],
          ['do', TelnetOption.SGA],
        ],
      },
      { policy: policyOf({ local: [TelnetOption.SGA], remote: [TelnetOption.NAWS] }) },
    );
    await expect(result(client, 'greet:will:31')).resolves.toMatchObject({ ok: true });
    await expect(result(client, 'greet:do:3')).resolves.toMatchObject({ ok: true });
    expect(server.connection.isEnabled('remote', TelnetOption.NAWS)).toBe(true);
    expect(server.connection.isEnabled('local', TelnetOption.SGA)).toBe(true);
    client.command({ cmd: 'wont', option: TelnetOption.NAWS, id: 'wont-naws' });
    client.command({ cmd: 'dont', option: TelnetOption.SGA, id: 'dont-sga' });
    await expect(result(client, 'wont-naws')).resolves.toMatchObject({ ok: true });
    await expect(result(client, 'dont-sga')).resolves.toMatchObject({ ok: true });
    await first(server.connection.options$.pipe(filter((map) => ![...map.values()].some((s) => s.local || s.remote))));
  });
});

describe('Twisted client -> rxtelnet server: subnegotiations and data', () => {
  it('sends a subnegotiation with IAC in its payload that Twisted unescapes exactly', async () => {
    const { client, server } = await start();
    server.connection.requestNegotiation(TelnetOption.TTYPE, Uint8Array.of(0x01, 0xff));
    server.connection.requestNegotiation(TelnetOption.GMCP, Uint8Array.of(0xff, 0xff, 0xf0, 0x20));
    await expect(client.waitForEvent((e) => e.ev === 'sb' && e.option === TelnetOption.TTYPE)).resolves.toEqual({
      ev: 'sb',
      option: TelnetOption.TTYPE,
      hex: '01ff',
    });
    await expect(client.waitForEvent((e) => e.ev === 'sb' && e.option === TelnetOption.GMCP)).resolves.toEqual({
      ev: 'sb',
      option: TelnetOption.GMCP,
      hex: 'fffff020',
    });
  });

  it("receives the Twisted client's requestNegotiation with IAC in its payload exactly (NAWS 255 x 255)", async () => {
    const { client, server } = await start();
    client.command({ cmd: 'sb', option: TelnetOption.NAWS, hex: '00ff00ff' });
    const sb = await first(server.connection.subnegotiations$(TelnetOption.NAWS));
    expect(Buffer.from(sb.payload).toString('hex')).toBe('00ff00ff');
  });

  it('writes every byte value, 0xFF and newlines included, and the Twisted client receives them exactly', async () => {
    const { client, server } = await start();
    server.connection.write(awkwardBytes);
    await client.waitForEvent(() => client.receivedData().length >= awkwardBytes.length);
    expect(client.receivedData()).toEqual(awkwardBytes);
  });

  it("receives every byte value exactly from the Twisted client's raw NVT bytes, and its write() as NVT text", async () => {
    const { client, server } = await start();
    client.command({ cmd: 'raw', hex: nvtWire(awkwardBytes).toString('hex') });
    expect(await server.waitForData(awkwardBytes.length)).toEqual(awkwardBytes);
    const before = server.data().length;
    client.command({ cmd: 'write', hex: Buffer.from('say \xff\n', 'latin1').toString('hex') });
    const all = await server.waitForData(before + 6);
    expect(all.subarray(before).toString('latin1')).toBe('say \xff\n');
  });
});

describe('Twisted client -> rxtelnet server: closing', () => {
  it('when the Twisted client closes with our requests unanswered, every request errors with ConnectionClosedError', async () => {
    const { client, server } = await start();
    client.command({ cmd: 'deaf' });
    await client.waitForEvent((e) => e.ev === 'deaf');
    const requests = [
      ['will', TelnetOption.ECHO],
      ['will', TelnetOption.SGA],
      ['do', TelnetOption.NAWS],
      ['do', TelnetOption.TTYPE],
    ] as const;
    const pending = requests.map(([verb, option]) => settle(server.connection[verb](option), 10_000));
    await client.waitForEvent(() => ignoredBytes(client).length >= 12);
    expect(ignoredBytes(client).toString('hex')).toBe('fffb01fffb03fffd1ffffd18');
    client.command({ cmd: 'close' });
    const outcomes = await Promise.all(pending);
    expect(outcomes.map(errorOf)).toMatchObject(
      requests.map(([, option]) => ({ _tag: 'ConnectionClosedError', option })),
    );
    for (const outcome of outcomes) expect(errorOf(outcome)).toBeInstanceOf(ConnectionClosedError);
    await expect(first(server.connection.closed$)).resolves.toEqual({ _tag: 'ClosedByPeer' });
    expect(server.completed).toBe(true);
  });

  it('loseConnection sends everything written before it, GA included: the Twisted client receives every byte', async () => {
    const { client, server } = await start();
    const big = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 13 + 1) & 0xff));
    server.connection.writeSequence([big, 'prompt> ']);
    server.connection.sendCommand(Command.GA);
    server.connection.loseConnection();
    await client.waitForEvent((e) => e.ev === 'closed', { timeoutMs: 15_000 });
    const expected = Buffer.concat([big, Buffer.from('prompt> ')]);
    expect(client.receivedData().length).toBe(expected.length);
    expect(client.receivedData().equals(expected)).toBe(true);
    expect(client.events().filter((e) => e.ev === 'command')).toEqual([
      { ev: 'command', command: Command.GA, argument: null },
    ]);
    await expect(first(server.connection.closed$)).resolves.toEqual({ _tag: 'ClosedByUs' });
  });
});

/**
 * An rxtelnet client against Twisted's Telnet server (twisted.conch.telnet), the implementation whose interface
 * rxtelnet follows: negotiation both ways, subnegotiations and data with IAC in them, and closing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filter } from 'rxjs';
import { ConnectionClosedError, OptionRefusedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { ConnectionOptions } from '../../src/session/connection.js';
import { delay, stopAllPeers } from './harness.js';
import { errorOf, first, RxtelnetEnds, settle, type ConnectionLog } from './rxtelnet-ends.js';
import { TwistedPeer, twistedServerGreeting, type TwistedPeerOptions } from './twisted.js';
import { awkwardBytes, ignoredBytes, nvtWire, result } from './twisted-fixtures.js';

const ends = new RxtelnetEnds();
const peers: TwistedPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.stop()));
  await ends.closeAll();
  await stopAllPeers();
});

/** Starts a Twisted server, connects an rxtelnet client to it, and waits until Twisted has the connection. */
const start = async (
  twisted: TwistedPeerOptions = {},
  ours: ConnectionOptions = {},
): Promise<{ server: TwistedPeer; client: ConnectionLog }> => {
  const server = await TwistedPeer.server({ timeLimitMs: 20_000, ...twisted });
  peers.push(server);
  const client = await ends.client(server.port, ours);
  await server.waitForEvent((e) => e.ev === 'connected');
  return { server, client };
};

describe('rxtelnet client -> Twisted server: the peer asks', () => {
  it("answers Twisted's usual opening by its policy: accepted requests succeed, refused ones fail with OptionRefused", async () => {
    const { server, client } = await start(
      { greet: twistedServerGreeting },
      { policy: policyOf({ local: [TelnetOption.NAWS], remote: [TelnetOption.ECHO] }) },
    );
    await expect(result(server, 'greet:do:31')).resolves.toEqual({ ev: 'result', id: 'greet:do:31', ok: true });
    await expect(result(server, 'greet:do:24')).resolves.toEqual({
      ev: 'result',
      id: 'greet:do:24',
      ok: false,
      error: 'OptionRefused',
    });
    await expect(result(server, 'greet:will:3')).resolves.toMatchObject({ ok: false, error: 'OptionRefused' });
    await expect(result(server, 'greet:will:1')).resolves.toMatchObject({ ok: true });
    expect(client.connection.isEnabled('local', TelnetOption.NAWS)).toBe(true);
    expect(client.connection.isEnabled('local', TelnetOption.TTYPE)).toBe(false);
    expect(client.connection.isEnabled('remote', TelnetOption.SGA)).toBe(false);
    expect(client.connection.isEnabled('remote', TelnetOption.ECHO)).toBe(true);
  });

  it('reaches the option states of a full agreement in options$ (DO NAWS, DO TTYPE, WILL SGA, WILL ECHO all accepted)', async () => {
    const { server, client } = await start(
      { greet: twistedServerGreeting },
      {
        policy: policyOf({
          local: [TelnetOption.NAWS, TelnetOption.TTYPE],
          remote: [TelnetOption.SGA, TelnetOption.ECHO],
        }),
      },
    );
    const states = await first(
      client.connection.options$.pipe(
        filter((map) => [...map.values()].filter((s) => s.local || s.remote).length === 4),
      ),
    );
    expect(new Map(states)).toEqual(
      new Map([
        [TelnetOption.NAWS, { local: true, remote: false }],
        [TelnetOption.TTYPE, { local: true, remote: false }],
        [TelnetOption.SGA, { local: false, remote: true }],
        [TelnetOption.ECHO, { local: false, remote: true }],
      ]),
    );
    for (const [verb, option] of twistedServerGreeting) {
      await expect(result(server, `greet:${verb}:${option}`)).resolves.toMatchObject({ ok: true });
    }
    // Twisted confirmed nothing twice: our answers never started a second round.
    expect(server.events().filter((e) => e.ev === 'enableLocal' || e.ev === 'enableRemote')).toHaveLength(4);
  });

  it('acknowledges the peer disabling an option it had agreed to (Twisted dont/wont)', async () => {
    const { server, client } = await start(
      {
        greet: [
          ['do', TelnetOption.NAWS],
          ['will', TelnetOption.SGA],
        ],
      },
      { policy: policyOf({ local: [TelnetOption.NAWS], remote: [TelnetOption.SGA] }) },
    );
    await expect(result(server, 'greet:will:3')).resolves.toMatchObject({ ok: true });
    await expect(result(server, 'greet:do:31')).resolves.toMatchObject({ ok: true });
    expect(client.connection.isEnabled('local', TelnetOption.NAWS)).toBe(true);
    expect(client.connection.isEnabled('remote', TelnetOption.SGA)).toBe(true);
    server.command({ cmd: 'dont', option: TelnetOption.NAWS, id: 'dont-naws' });
    server.command({ cmd: 'wont', option: TelnetOption.SGA, id: 'wont-sga' });
    await expect(result(server, 'dont-naws')).resolves.toMatchObject({ ok: true });
    await expect(result(server, 'wont-sga')).resolves.toMatchObject({ ok: true });
    await first(client.connection.options$.pipe(filter((map) => ![...map.values()].some((s) => s.local || s.remote))));
  });
});

describe('rxtelnet client -> Twisted server: we ask', () => {
  it('do/will accepted by Twisted emit the new state and complete', async () => {
    const { server, client } = await start({ accept: { local: [TelnetOption.ECHO], remote: [TelnetOption.NAWS] } });
    await expect(settle(client.connection.do(TelnetOption.ECHO))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.ECHO, side: 'remote', enabled: true },
    });
    await expect(settle(client.connection.will(TelnetOption.NAWS))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.NAWS, side: 'local', enabled: true },
    });
    expect(server.events()).toEqual(
      expect.arrayContaining([
        { ev: 'enableLocal', option: TelnetOption.ECHO, accepted: true },
        { ev: 'enableRemote', option: TelnetOption.NAWS, accepted: true },
      ]),
    );
  });

  it('do/will refused by Twisted error with OptionRefusedError', async () => {
    const { server, client } = await start();
    const refusedDo = await settle(client.connection.do(TelnetOption.ECHO));
    const refusedWill = await settle(client.connection.will(TelnetOption.TTYPE));
    expect(refusedDo).toMatchObject({
      ok: false,
      error: { _tag: 'OptionRefusedError', option: TelnetOption.ECHO, side: 'remote' },
    });
    expect(refusedWill).toMatchObject({
      ok: false,
      error: { _tag: 'OptionRefusedError', option: TelnetOption.TTYPE, side: 'local' },
    });
    expect(errorOf(refusedDo)).toBeInstanceOf(OptionRefusedError);
    expect(errorOf(refusedWill)).toBeInstanceOf(OptionRefusedError);
    expect(server.events()).toEqual(
      expect.arrayContaining([
        { ev: 'enableLocal', option: TelnetOption.ECHO, accepted: false },
        { ev: 'enableRemote', option: TelnetOption.TTYPE, accepted: false },
      ]),
    );
    expect(client.connection.isEnabled('remote', TelnetOption.ECHO)).toBe(false);
  });

  it('dont/wont are acknowledged: the Observable completes and Twisted reports disableLocal/disableRemote', async () => {
    const { server, client } = await start({ accept: { local: [TelnetOption.SGA], remote: [TelnetOption.NAWS] } });
    await expect(settle(client.connection.do(TelnetOption.SGA))).resolves.toMatchObject({ ok: true });
    await expect(settle(client.connection.will(TelnetOption.NAWS))).resolves.toMatchObject({ ok: true });
    const from = server.mark();
    await expect(settle(client.connection.dont(TelnetOption.SGA))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.SGA, side: 'remote', enabled: false },
    });
    await expect(settle(client.connection.wont(TelnetOption.NAWS))).resolves.toEqual({
      ok: true,
      value: { option: TelnetOption.NAWS, side: 'local', enabled: false },
    });
    await expect(server.waitForEvent((e) => e.ev === 'disableLocal', { from })).resolves.toEqual({
      ev: 'disableLocal',
      option: TelnetOption.SGA,
    });
    await expect(server.waitForEvent((e) => e.ev === 'disableRemote', { from })).resolves.toEqual({
      ev: 'disableRemote',
      option: TelnetOption.NAWS,
    });
  });
});

describe('rxtelnet client -> Twisted server: subnegotiations and data', () => {
  it('sends a subnegotiation with IAC in its payload that Twisted unescapes exactly', async () => {
    const { server, client } = await start();
    client.connection.requestNegotiation(TelnetOption.NAWS, Uint8Array.of(0x00, 0xff, 0xff, 0x18));
    client.connection.requestNegotiation(TelnetOption.GMCP, Uint8Array.of(0xff, 0xf0, 0x41, 0xff));
    await expect(server.waitForEvent((e) => e.ev === 'sb' && e.option === TelnetOption.NAWS)).resolves.toEqual({
      ev: 'sb',
      option: TelnetOption.NAWS,
      hex: '00ffff18',
    });
    await expect(server.waitForEvent((e) => e.ev === 'sb' && e.option === TelnetOption.GMCP)).resolves.toEqual({
      ev: 'sb',
      option: TelnetOption.GMCP,
      hex: 'fff041ff',
    });
  });

  it("receives Twisted's requestNegotiation with IAC in its payload exactly", async () => {
    const { server, client } = await start();
    server.command({ cmd: 'sb', option: TelnetOption.TTYPE, hex: 'ff01fff0ff' });
    const sb = await first(client.connection.subnegotiations$(TelnetOption.TTYPE));
    expect(Buffer.from(sb.payload).toString('hex')).toBe('ff01fff0ff');
  });

  it('writes every byte value, 0xFF and newlines included, and Twisted receives them exactly', async () => {
    const { server, client } = await start();
    client.connection.write(awkwardBytes);
    await server.waitForEvent(() => server.receivedData().length >= awkwardBytes.length);
    expect(server.receivedData()).toEqual(awkwardBytes);
    // CR LF is a newline: it goes out as CR LF and Twisted hands it over as LF.
    client.connection.write('x\r\ny');
    await server.waitForEvent(() => server.receivedData().length >= awkwardBytes.length + 3);
    expect(server.receivedData().subarray(awkwardBytes.length).toString('latin1')).toBe('x\ny');
  });

  it("receives every byte value exactly from Twisted's raw NVT bytes, and documents what Twisted's write() sends", async () => {
    const { server, client } = await start();
    server.command({ cmd: 'raw', hex: nvtWire(awkwardBytes).toString('hex') });
    expect(await client.waitForData(awkwardBytes.length)).toEqual(awkwardBytes);
    // write(): IAC doubled and LF -> CR LF, but a bare CR goes out bare (not CR NUL): we keep "CR x" as it is.
    const before = client.data().length;
    server.command({ cmd: 'write', hex: Buffer.from('a\rb\nc\xff!', 'latin1').toString('hex') });
    const all = await client.waitForData(before + 7);
    expect(all.subarray(before).toString('latin1')).toBe('a\rb\nc\xff!');
  });

  it('reassembles a CR LF and a subnegotiation that Twisted sends in separate writes', async () => {
    const { server, client } = await start();
    for (const hex of ['6f6b0d', '0a21', 'fffa18', '01ff', 'ff', 'fff0']) {
      server.command({ cmd: 'raw', hex });
      await delay(30);
    }
    expect((await client.waitForData(4)).toString('latin1')).toBe('ok\n!');
    await client.waitFor((log) => log.events.some((e) => e._tag === 'Subnegotiation'));
    const sb = client.events.find((e) => e._tag === 'Subnegotiation');
    expect(sb).toMatchObject({ option: TelnetOption.TTYPE, payload: Uint8Array.of(0x01, 0xff) });
  });
});

describe('rxtelnet client -> Twisted server: closing', () => {
  it('when Twisted closes with our requests unanswered, every request errors with ConnectionClosedError', async () => {
    const { server, client } = await start();
    server.command({ cmd: 'deaf' });
    await server.waitForEvent((e) => e.ev === 'deaf');
    const pending = [
      settle(client.connection.do(TelnetOption.ECHO), 10_000),
      settle(client.connection.will(TelnetOption.NAWS), 10_000),
      settle(client.connection.do(TelnetOption.SGA), 10_000),
    ];
    // Twisted has read all three requests (and ignored them) before it closes.
    await server.waitForEvent(() => ignoredBytes(server).length >= 9);
    expect(ignoredBytes(server).toString('hex')).toBe('fffd01fffb1ffffd03');
    server.command({ cmd: 'close' });
    const outcomes = await Promise.all(pending);
    expect(outcomes.map(errorOf)).toMatchObject(
      [TelnetOption.ECHO, TelnetOption.NAWS, TelnetOption.SGA].map((option) => ({
        _tag: 'ConnectionClosedError',
        option,
      })),
    );
    for (const outcome of outcomes) expect(errorOf(outcome)).toBeInstanceOf(ConnectionClosedError);
    await expect(first(client.connection.closed$)).resolves.toEqual({ _tag: 'ClosedByPeer' });
    expect(client.completed).toBe(true);
    await expect(settle(client.connection.do(TelnetOption.ECHO))).resolves.toMatchObject({
      ok: false,
      error: { _tag: 'ConnectionClosedError' },
    });
  });

  it('loseConnection sends everything written before it: Twisted receives every byte of a large write', async () => {
    const { server, client } = await start();
    const big = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7) & 0xff));
    client.connection.write(big);
    client.connection.sendCommand(Command.NOP);
    client.connection.loseConnection();
    await server.waitForEvent((e) => e.ev === 'closed', { timeoutMs: 15_000 });
    expect(server.receivedData().length).toBe(big.length);
    expect(server.receivedData().equals(big)).toBe(true);
    expect(server.events().filter((e) => e.ev === 'command')).toEqual([
      { ev: 'command', command: Command.NOP, argument: null },
    ]);
    await expect(first(client.connection.closed$)).resolves.toEqual({ _tag: 'ClosedByUs' });
  });
});

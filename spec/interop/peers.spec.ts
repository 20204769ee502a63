import { afterEach, describe, expect, it } from 'vitest';
import { PeerBinary, requirePeer, requireTwisted, type PeerName } from '../helpers/peers.js';
import { PeerProcess, stopAllPeers } from './harness.js';
import { RawRecorder } from './recorder.js';
import { scan } from './telnet-scan.js';
import { bytesFromPeer, loadTranscripts } from './transcript.js';
import { TwistedPeer, twistedServerGreeting, type TwistedEvent } from './twisted.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const recorders: RawRecorder[] = [];
const twisted: TwistedPeer[] = [];

afterEach(async () => {
  await Promise.all(recorders.splice(0).map((r) => r.close()));
  await Promise.all(twisted.splice(0).map((p) => p.stop()));
  await stopAllPeers();
});

describe('peer programs', () => {
  it.each(Object.keys(PeerBinary) as PeerName[])('%s is installed', (name) => {
    expect(requirePeer(name)).toBe(PeerBinary[name]);
  });

  it('Debian python3 imports Twisted', () => {
    expect(requireTwisted()).toBe(PeerBinary.python3);
  });
});

describe('PeerProcess', () => {
  it('kills a peer that outlives its time limit', async () => {
    const sleeper = PeerProcess.spawn('/bin/sleep', { args: ['30'], timeLimitMs: 300 });
    const exit = await sleeper.exited;
    expect(sleeper.timedOut).toBe(true);
    expect(exit.signal).toBe('SIGKILL');
  });

  it('waits for stdout lines and feeds stdin', async () => {
    const cat = PeerProcess.spawn('/bin/cat', { timeLimitMs: 5_000 });
    cat.send('first');
    cat.send('second');
    await expect(cat.waitForLine((l) => l.startsWith('sec'))).resolves.toBe('second');
    await expect(cat.waitForLine((l) => l === 'never', { timeoutMs: 200 })).rejects.toThrow(/no matching line/);
  });
});

describe('Twisted server peer', () => {
  const start = async (): Promise<{ server: TwistedPeer; client: RawRecorder }> => {
    const server = await TwistedPeer.server({ greet: twistedServerGreeting });
    twisted.push(server);
    const client = await RawRecorder.connect(server.port);
    recorders.push(client);
    return { server, client };
  };

  it('opens with DO NAWS, DO TTYPE, WILL SGA, WILL ECHO', async () => {
    const { client } = await start();
    const opening = await client.waitForBytes((all) => all.length >= 12);
    expect(opening).toEqual(hex('fffd1f fffd18 fffb03 fffb01'));
  });

  it('reports negotiation results and subnegotiations a raw client sends', async () => {
    const { server, client } = await start();
    await client.waitForBytes((all) => all.length >= 12);
    client.send(hex('fffb1f fffa1f 0050 0018 fff0 fffc18 fffd03'));
    const refused = await server.waitForEvent((e) => e.ev === 'result' && e.id === 'greet:do:24');
    expect(refused).toEqual({ ev: 'result', id: 'greet:do:24', ok: false, error: 'OptionRefused' });
    const naws = await server.waitForEvent((e) => e.ev === 'sb');
    expect(naws).toEqual({ ev: 'sb', option: 31, hex: '00500018' });
    // Twisted prints the last result after the subnegotiation: wait for it before reading the snapshot.
    await server.waitForEvent((e) => e.ev === 'result' && e.id === 'greet:will:3');
    const results = server.events().filter((e): e is Extract<TwistedEvent, { ev: 'result' }> => e.ev === 'result');
    expect(results.map((r) => [r.id, r.ok])).toEqual(
      expect.arrayContaining([
        ['greet:do:31', true],
        ['greet:will:3', true],
      ]),
    );
  });

  it('sends raw bytes exactly and write() bytes with IAC doubled and LF as CR LF', async () => {
    const { server, client } = await start();
    await client.waitForBytes((all) => all.length >= 12);
    server.command({ cmd: 'raw', hex: 'fff1' });
    server.command({ cmd: 'write', hex: 'ff0a' });
    const all = await client.waitForBytes((bytes) => bytes.length >= 12 + 6);
    expect(all.subarray(12)).toEqual(hex('fff1 ffff 0d0a'));
  });

  it('hands received data over with CR LF folded to LF', async () => {
    const { server, client } = await start();
    client.send(Buffer.from('look\r\n'));
    const data = await server.waitForEvent((e) => e.ev === 'data');
    expect(data).toEqual({ ev: 'data', hex: Buffer.from('look\n').toString('hex') });
  });
});

describe('Twisted client peer', () => {
  it('answers DO TTYPE with WILL TTYPE once told to accept it, and reports SB TTYPE SEND', async () => {
    const listener = await RawRecorder.listen();
    const peer = TwistedPeer.client(listener.port);
    twisted.push(peer);
    const server = await listener.accepted;
    recorders.push(server);
    listener.close();
    await peer.waitForEvent((e) => e.ev === 'connected');
    peer.command({ cmd: 'accept', local: [24], remote: [] });
    const from = peer.mark();
    peer.command({ cmd: 'do', option: 1, id: 'echo' });
    await server.waitForBytes((all) => all.equals(hex('fffd01')));
    server.send(hex('fffd18 fffa1801fff0 fffb01'));
    await server.waitForBytes((all) => all.equals(hex('fffd01 fffb18')));
    await expect(peer.waitForEvent((e) => e.ev === 'sb', { from })).resolves.toEqual({
      ev: 'sb',
      option: 24,
      hex: '01',
    });
    await expect(peer.waitForEvent((e) => e.ev === 'result', { from })).resolves.toEqual({
      ev: 'result',
      id: 'echo',
      ok: true,
    });
  });
});

describe('golden transcripts', () => {
  const transcripts = loadTranscripts();

  it('cover every captured peer', () => {
    expect([...transcripts.keys()]).toEqual([
      'inetutils-telnet-client.json',
      'inetutils-telnetd-passive.json',
      'inetutils-telnetd-refusing.json',
      'libtelnet-chatd-passive.json',
      'libtelnet-chatd-refusing.json',
      'libtelnet-telnet-client.json',
      'tf5-client.json',
      'tintin-client.json',
      'twisted-server-passive.json',
      'twisted-server-refusing.json',
    ]);
  });

  it.each([...transcripts])('%s holds negotiations from the peer', (_name, transcript) => {
    const items = scan(bytesFromPeer(transcript));
    expect(items.some((item) => item.kind === 'negotiation')).toBe(true);
    expect(transcript.version).toMatch(/\S+ \S+/);
  });

  it('tintin++ cycles TTYPE into an MTTS bit vector', () => {
    const tintin = transcripts.get('tintin-client.json')!;
    const names = scan(bytesFromPeer(tintin)).flatMap((item) =>
      item.kind === 'subnegotiation' && item.option === 24 ? [item.payload.subarray(1).toString('latin1')] : [],
    );
    expect(names[0]).toBe('TINTIN++');
    expect(names[2]).toMatch(/^MTTS \d+$/);
  });
});

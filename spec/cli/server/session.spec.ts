import { filter, firstValueFrom, lastValueFrom, scan, shareReplay, startWith, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { Realm } from '../../../src/cli/server/realm.js';
import { MAX_LOGIN_ATTEMPTS, startSession } from '../../../src/cli/server/session.js';
import { policyOf } from '../../../src/negotiation/policy.js';
import { Command } from '../../../src/protocol/commands.js';
import { TelnetOption } from '../../../src/protocol/options.js';
import { createConnection, type TelnetConnection } from '../../../src/session/connection.js';
import { manualTransport } from '../../../src/testing/index.js';
import { createMemoryTransports } from '../../../src/transport/memory.js';
import { portableCompression } from '../../../src/transport/portable-compression.js';

/** A demo-server session and a client on memory transports; `screen` is everything the client was sent. */
const connectToDemo = (realm = new Realm()) => {
  const [clientSide, serverSide] = createMemoryTransports();
  const server = createConnection(serverSide);
  const log: string[] = [];
  startSession(server, { realm, log: (line) => log.push(line), mssp: () => ({}), tickInterval: 60_000 });
  const client = createConnection(clientSide);
  const screen = client.data$.pipe(
    scan((text, bytes) => text + new TextDecoder().decode(bytes), ''),
    startWith(''),
    shareReplay(1),
  );
  screen.subscribe();
  const seen = (text: string, times = 1): Promise<string> =>
    firstValueFrom(screen.pipe(filter((all) => all.split(text).length > times)));
  return { client, server, log, seen, screen };
};

describe('the demo server login', () => {
  it(`closes the connection after ${MAX_LOGIN_ATTEMPTS} wrong passwords`, async () => {
    const realm = new Realm();
    expect(await realm.login('Alice', 'secret')).toBe('NewAccount');
    const { client, log, seen, screen } = connectToDemo(realm);
    const everything = lastValueFrom(screen);
    const closed = firstValueFrom(client.closed$);
    for (let attempt = 1; attempt <= MAX_LOGIN_ATTEMPTS; attempt++) {
      await seen('What is your name?', attempt);
      client.write('Alice\r\n');
      await seen('Password:', attempt);
      client.write(`guess${attempt}\r\n`);
    }
    const text = await everything;
    expect(text).toContain('Too many attempts: goodbye.');
    expect(text.match(/Wrong password\./g)).toHaveLength(MAX_LOGIN_ATTEMPTS);
    expect(log.filter((line) => line.includes('wrong password for Alice'))).toHaveLength(MAX_LOGIN_ATTEMPTS);
    expect((await closed)._tag).toBe('ClosedByPeer');
  });

  it('keeps the lines typed while the password is checked, in order', async () => {
    const { client, seen } = connectToDemo();
    await seen('What is your name?');
    client.write('Bob\r\n');
    await seen('Choose a password:');
    client.write('hunter2\r\nsay one\r\nsay two\r\n');
    const text = await seen('You say: two');
    expect(text.indexOf('You say: one')).toBeLessThan(text.indexOf('You say: two'));
    expect(text.indexOf('Welcome')).toBeLessThan(text.indexOf('You say: one'));
    client.loseConnection();
  });

  it('checks a second login to an account created meanwhile against that account', async () => {
    const realm = new Realm();
    const [first, second] = await Promise.all([realm.login('Carol', 'one'), realm.login('Carol', 'two')]);
    expect([first, second].sort()).toEqual(['NewAccount', 'WrongPassword']);
    expect(await realm.login('Carol', first === 'NewAccount' ? 'one' : 'two')).toBe('Accepted');
  });
});

describe('the demo server login timeout', () => {
  const demoWithClock = () => {
    const clock = new VirtualTimeScheduler();
    const [clientSide, serverSide] = createMemoryTransports();
    const server = createConnection(serverSide);
    const log: string[] = [];
    startSession(server, {
      realm: new Realm(),
      log: (line) => log.push(line),
      mssp: () => ({}),
      tickInterval: 60_000,
      loginTimeout: 60_000,
      scheduler: clock,
    });
    const client = createConnection(clientSide);
    let text = '';
    client.data$.subscribe((bytes) => (text += new TextDecoder().decode(bytes)));
    const seen = (wanted: string): Promise<void> =>
      vi.waitFor(() => {
        expect(text).toContain(wanted);
      });
    return { clock, client, log, seen, text: () => text };
  };

  it('tells a client that has not logged in within loginTimeout, and closes', async () => {
    const { clock, client, log, seen, text } = demoWithClock();
    const closed = firstValueFrom(client.closed$);
    await seen('What is your name?');
    client.write('Carol\r\n');
    await seen('Choose a password:');
    clock.flush();
    expect((await closed)._tag).toBe('ClosedByPeer');
    expect(text()).toContain('You took too long to log in (60 s): goodbye.');
    expect(log.some((line) => line.includes('login timed out'))).toBe(true);
  });

  it('does not close a client that logged in in time', async () => {
    const { clock, client, log, seen } = demoWithClock();
    let closed = false;
    client.closed$.subscribe(() => (closed = true));
    await seen('What is your name?');
    client.write('Dave\r\n');
    await seen('Choose a password:');
    client.write('hunter2\r\n');
    await vi.waitFor(() => {
      expect(log.some((line) => line.includes('Dave entered the game'))).toBe(true);
    });
    clock.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    client.loseConnection();
  });
});

describe('the demo server log of MCCP2', () => {
  const start = (connection: TelnetConnection): string[] => {
    const log: string[] = [];
    startSession(connection, {
      realm: new Realm(),
      log: (line) => log.push(line),
      mssp: () => ({}),
      tickInterval: 60_000,
    });
    return log;
  };

  it('says the output is compressed once the client agrees to our WILL MCCP2, or asked for it first', () => {
    const agreeing = manualTransport();
    const agreed = start(createConnection(agreeing, { compression: portableCompression }));
    expect(agreed.some((line) => line.includes('compressing output'))).toBe(false);
    agreeing.receive(Command.IAC, Command.DO, TelnetOption.MCCP2);
    expect(agreed.filter((line) => line.includes('compressing output (MCCP2)'))).toHaveLength(1);

    const asking = manualTransport();
    const connection = createConnection(asking, {
      compression: portableCompression,
      policy: policyOf({ local: [TelnetOption.MCCP2] }),
    });
    asking.receive(Command.IAC, Command.DO, TelnetOption.MCCP2);
    expect(start(connection).filter((line) => line.includes('compressing output (MCCP2)'))).toHaveLength(1);

    const refusing = manualTransport();
    const refused = start(createConnection(refusing, { compression: portableCompression }));
    refusing.receive(Command.IAC, Command.DONT, TelnetOption.MCCP2);
    expect(refused.some((line) => line.includes('compressing output'))).toBe(false);
  });
});

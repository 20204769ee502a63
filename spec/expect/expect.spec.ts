import { concat, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createExpect } from '../../src/expect/expect.js';
import { ExpectClosedError, ExpectTimeoutError, LoginFailedError } from '../../src/negotiation/errors.js';
import { decodeTelnet } from '../../src/operators/decodeTelnet.js';
import { lines } from '../../src/operators/lines.js';
import { createConnection, type TelnetConnection } from '../../src/session/connection.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import {
  expectText,
  inetutilsTelnetd,
  manualTransport,
  record,
  sendText,
  testConnection,
} from '../../src/testing/index.js';

const { IAC, WILL } = Command;
const text = (value: string): number[] => [...new TextEncoder().encode(value)];

/**
 * A scripted device on the other end of memory transports: `greet` is sent when the client connects, and each
 * line the client sends is answered by `answer` (its text is written as is).
 */
const device = (
  greet: string,
  answer: (line: string, device: TelnetConnection) => string | undefined,
): { client: TelnetConnection; heard: string[] } => {
  const [clientSide, deviceSide] = createMemoryTransports();
  const server = createConnection(deviceSide);
  const heard: string[] = [];
  server.events$.pipe(lines()).subscribe((line) => {
    if (line._tag !== 'Line') return;
    heard.push(line.text);
    const reply = answer(line.text, server);
    if (reply !== undefined) server.write(reply);
  });
  server.write(greet);
  return { client: createConnection(clientSide), heard };
};

/** A shell-like device: `login:`, `Password:`, then `prompt` after each command, with `outputs[command]`. */
const shell = (prompt: string, outputs: Readonly<Record<string, string>>, password = 'secret') => {
  let phase: 'user' | 'password' | 'shell' = 'user';
  return device('Welcome to the box\r\nlogin: ', (line) => {
    if (phase === 'user') {
      phase = 'password';
      return 'Password: ';
    }
    if (phase === 'password') {
      if (line !== password) {
        phase = 'user';
        return '\r\nLogin incorrect\r\nlogin: ';
      }
      phase = 'shell';
      return `\r\nLast login: today\r\n${prompt}`;
    }
    return `${line}\r\n${outputs[line] ?? `${line}: command not found\r\n`}${prompt}`;
  });
};

describe('createExpect', () => {
  it('logs in and runs commands, the output without the echoed command and the prompt', async () => {
    const { client } = shell('box$ ', { uptime: ' 10:00 up 3 days\r\n', 'uname -s': 'Linux\r\n' });
    const dialogue = createExpect(client);
    const [login, uptime, uname] = await lastValueFrom(
      concat(
        dialogue.login({ user: 'admin', password: 'secret', prompt: /\$ $/ }),
        dialogue.exec('uptime', { prompt: /\$ $/ }),
        dialogue.exec('uname -s', { prompt: /\$ $/ }),
      ).pipe(toArray()),
    );
    expect(login).toMatchObject({ index: 0, match: '$ ' });
    expect(typeof login === 'object' && login.before).toContain('Last login: today');
    expect(uptime).toBe(' 10:00 up 3 days');
    expect(uname).toBe('Linux');
  });

  it('fails a refused login with LoginFailedError', async () => {
    const { client } = shell('box$ ', {});
    const error: unknown = await firstValueFrom(
      createExpect(client).login({ user: 'admin', password: 'wrong', prompt: /\$ $/ }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginFailedError);
    expect((error as LoginFailedError).received).toContain('Login incorrect');
  });

  it('matches the earliest of several prompts and tells which one', async () => {
    const { client } = device('router>', () => undefined);
    const found = await firstValueFrom(createExpect(client).expect([/router#$/, /router>$/, 'nothing']));
    expect(found).toEqual({ index: 1, match: 'router>', groups: [], before: '' });
  });

  it('follows a prompt that changes (a new host name, config mode)', async () => {
    const prompt = /[\w-]+(?:\(config\))?# ?$/;
    let host = 'r1';
    let mode = '';
    const { client } = device('r1# ', (line) => {
      if (line.startsWith('hostname ')) host = line.slice('hostname '.length);
      if (line === 'configure') mode = '(config)';
      return `${line}\r\n${host}${mode}# `;
    });
    const dialogue = createExpect(client);
    await firstValueFrom(dialogue.expect(prompt));
    const outputs = await lastValueFrom(
      concat(
        dialogue.exec('configure', { prompt }),
        dialogue.exec('hostname core-2', { prompt }),
        dialogue.exec('show clock', { prompt: [/r1\(config\)# $/, /core-2\(config\)# $/] }),
      ).pipe(toArray()),
    );
    expect(outputs).toEqual(['', '', '']);
    expect(dialogue.received).toBe('');
    expect(host).toBe('core-2');
  });

  it('ignores NULs and ANSI codes before the prompt and strips them from the output', async () => {
    const { client } = device('\u0000\u0000\u001b[1;32mbox\u001b[0m$ ', (line) =>
      line === 'ls' ? 'ls\r\n\u001b[34mdir\u001b[0m  file\u0000\r\n\u0000\u001b[1;32mbox\u001b[0m$ ' : undefined,
    );
    const dialogue = createExpect(client);
    // eslint-disable-next-line no-control-regex
    const prompt = /box\u001b\[0m\$ $/;
    expect((await firstValueFrom(dialogue.expect(prompt))).before).toBe('\u001b[1;32m');
    expect(await firstValueFrom(dialogue.exec('ls', { prompt }))).toBe('dir  file');
  });

  it('answers a pager until the prompt, leaving the pager prompts and their erasing out of the output', async () => {
    const pages = [
      'line 1\r\nline 2\r\n --More-- ',
      '\r          \rline 3\r\nline 4\r\n --More-- ',
      '\r          \rline 5\r\nsw# ',
    ];
    let page = 0;
    const [clientSide, deviceSide] = createMemoryTransports();
    const server = createConnection(deviceSide);
    let typed = '';
    server.data$.subscribe((bytes) => {
      typed += new TextDecoder().decode(bytes);
      // The device reads in NVT mode: the client's CR LF arrives as a newline.
      if (typed === 'show log\n' || typed === ' ') {
        server.write(pages[page++] ?? '');
        typed = '';
      }
    });
    server.write('sw# ');
    const dialogue = createExpect(createConnection(clientSide));
    await firstValueFrom(dialogue.expect('sw# '));
    const output = await firstValueFrom(dialogue.exec('show log', { prompt: 'sw# ', pager: { prompt: ' --More-- ' } }));
    expect(output).toBe(['line 1', 'line 2', 'line 3', 'line 4', 'line 5'].join('\n'));
    expect(page).toBe(3);
  });

  it('drops a prompt that came before the output, so it cannot end the output early', async () => {
    // The device repeats its prompt (an extra newline was typed before), then answers the command.
    const { client } = device('$ \r\n$ ', (line) => (line === 'date' ? 'date\r\nMon Dec  1\r\n$ ' : undefined));
    const dialogue = createExpect(client);
    await firstValueFrom(dialogue.expect('$ '));
    await new Promise((resolve) => setTimeout(resolve, 10)); // the repeated prompt is in now
    expect(dialogue.received).toContain('$ ');
    expect(await firstValueFrom(dialogue.exec('date', { prompt: '$ ' }))).toBe('Mon Dec  1');
  });

  it('runs commands one at a time, in order, however they are subscribed', async () => {
    const { client, heard } = shell('> ', { a: 'A\r\n', b: 'B\r\n', c: 'C\r\n' });
    const dialogue = createExpect(client);
    await firstValueFrom(dialogue.login({ user: 'u', password: 'secret', prompt: '> ' }));
    const results = await Promise.all(
      ['a', 'b', 'c'].map((command) => firstValueFrom(dialogue.exec(command, { prompt: '> ' }))),
    );
    expect(results).toEqual(['A', 'B', 'C']);
    expect(heard.slice(2)).toEqual(['a', 'b', 'c']);
  });

  it('collects 10,000 lines of output', async () => {
    const big = Array.from({ length: 10_000 }, (_, index) => `line ${index}`);
    const { client } = device('# ', (line) => (line === 'dump' ? `dump\r\n${big.join('\r\n')}\r\n# ` : undefined));
    const dialogue = createExpect(client);
    await firstValueFrom(dialogue.expect('# '));
    const output = await firstValueFrom(dialogue.exec('dump', { prompt: /^# $/m }));
    expect(output.split('\n')).toEqual(big);
  });

  it('logs in to a device that repeats WILL ECHO until it gets DO', async () => {
    // A raw device without negotiation state: it answers each DONT ECHO with WILL ECHO again, five times in all.
    const [clientSide, deviceSide] = createMemoryTransports();
    let offers = 0;
    let typed = '';
    const send = (...bytes: number[]): void => {
      deviceSide.write(Uint8Array.from(bytes));
    };
    deviceSide.input.pipe(decodeTelnet()).subscribe((event) => {
      if (event._tag === 'Negotiation' && event.verb === 'DONT' && event.option === TelnetOption.ECHO) {
        if (offers < 5) {
          offers++;
          send(IAC, WILL, TelnetOption.ECHO);
        } else send(...text('login: '));
      }
      if (event._tag !== 'Data') return;
      typed += new TextDecoder().decode(event.bytes);
      if (typed.endsWith('admin\r\n')) send(...text('Password: '));
      if (typed.endsWith('x\r\n')) send(...text('\r\n# '));
    });
    const dialogue = createExpect(createConnection(clientSide));
    offers++;
    send(IAC, WILL, TelnetOption.ECHO);
    const found = await firstValueFrom(dialogue.login({ user: 'admin', password: 'x', prompt: '# ' }));
    expect(found.match).toBe('# ');
    expect(offers).toBe(5);
  });

  it('errors with ExpectClosedError and what was received when the connection closes first', async () => {
    const { client } = device('Goodbye\r\n', () => undefined);
    const dialogue = createExpect(client);
    const pending = firstValueFrom(dialogue.expect('login: ')).catch((e: unknown) => e);
    const queued = firstValueFrom(dialogue.expect('never')).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.loseConnection();
    const error = await pending;
    expect(error).toBeInstanceOf(ExpectClosedError);
    expect((error as ExpectClosedError).received).toBe('Goodbye\n'); // NVT: CR LF arrives as a newline
    expect(await queued).toBeInstanceOf(ExpectClosedError);
    expect(await firstValueFrom(dialogue.expect('x')).catch((e: unknown) => e)).toBeInstanceOf(ExpectClosedError);
  });

  it('rejects timeouts that are not a positive number or Infinity', () => {
    const connection = createConnection(manualTransport());
    expect(() => createExpect(connection, { timeout: 0 })).toThrow(RangeError);
    expect(() => createExpect(connection, { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => createExpect(connection).expect('x', { timeout: -1 })).toThrow(RangeError);
    expect(() => createExpect(connection).exec('x', {})).toThrow(RangeError);
  });
});

describe('createExpect in virtual time', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    });

  it('times out with ExpectTimeoutError and the text received since the last match', () => {
    scheduler().run(({ expectObservable }) => {
      const transport = manualTransport();
      const dialogue = createExpect(createConnection(transport), { timeout: 5_000 });
      transport.receive(...text('Hello '));
      const error = new ExpectTimeoutError(5_000, 'Hello ');
      expectObservable(dialogue.expect('login: ')).toBe('5000ms #', undefined, error);
    });
  });

  it('waits for ever with Infinity', () => {
    scheduler().run(({ expectObservable }) => {
      const dialogue = createExpect(createConnection(manualTransport()), { timeout: Infinity });
      expectObservable(dialogue.expect('login: ')).toBe('');
    });
  });

  it('ends output at a quiet peer when no prompt comes', () => {
    scheduler().run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const dialogue = createExpect(createConnection(transport));
      cold('10ms a 20ms b').subscribe((part) => {
        transport.receive(...text(part === 'a' ? 'show\r\nfirst\r\n' : 'second\r\n'));
      });
      expectObservable(dialogue.exec('show', { quiet: 100 })).toBe('131ms (x|)', { x: 'first\nsecond' });
    });
  });

  it('sends a wake-up newline when the device shows no prompt', () => {
    scheduler().run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const dialogue = createExpect(createConnection(transport));
      cold('2500ms a').subscribe(() => {
        expect(transport.wire()).toEqual([13, 10]);
        transport.receive(...text('login: '));
      });
      cold('2600ms a').subscribe(() => {
        transport.receive(...text('Password: '));
      });
      cold('2700ms a').subscribe(() => {
        transport.receive(...text('\r\nWelcome\r\n$ '));
      });
      expectObservable(dialogue.login({ user: 'u', password: 'p', prompt: '$ ' })).toBe('2700ms (x|)', {
        x: { index: 0, match: '$ ', groups: [], before: '\nWelcome\n' },
      });
    });
  });
});

describe('createExpect against a scripted device (rxtelnet/testing), in virtual time', () => {
  it('wakes a silent device with an empty line after wakeUp ms, then logs in', () => {
    const { value } = testConnection(
      [
        expectText('\r\n', { timeout: 5000 }),
        sendText('login: '),
        expectText('admin\r\n'),
        sendText('Password: '),
        expectText('secret\r\n'),
        sendText('Last login: today\nbox$ '),
      ],
      {},
      (connection) =>
        record(createExpect(connection).login({ user: 'admin', password: 'secret', prompt: 'box$ ', wakeUp: 2000 })),
    );
    expect(value.times).toEqual([2000]);
    expect(value.values[0]?.before).toContain('Last login: today');
  });

  it('times an exec out on the scheduler of the test, with what arrived in the error', () => {
    const { value } = testConnection(
      [sendText('box$ '), expectText('reboot\r\n'), sendText('Rebooting...')],
      {},
      (connection) => {
        const dialogue = createExpect(connection, { timeout: 30_000 });
        return record(concat(dialogue.expect('box$ '), dialogue.exec('reboot', { prompt: 'box$ ' })));
      },
    );
    expect(value.error).toBeInstanceOf(ExpectTimeoutError);
    expect(value.error).toMatchObject({ timeout: 30_000, received: 'Rebooting...' });
    expect(value.endedAt).toBe(30_000);
  });

  it('fails the login when the device refuses it', () => {
    const { value } = testConnection(
      [
        sendText('login: '),
        expectText('admin\r\n'),
        sendText('Password: '),
        expectText('wrong\r\n'),
        sendText('\nLogin incorrect\nlogin: '),
      ],
      { answers: inetutilsTelnetd },
      (connection) => record(createExpect(connection).login({ user: 'admin', password: 'wrong', prompt: '$ ' })),
    );
    expect(value.error).toBeInstanceOf(LoginFailedError);
  });
});

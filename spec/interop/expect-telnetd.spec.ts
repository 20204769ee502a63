/**
 * createExpect against a real telnetd: GNU inetutils telnetd (via socat) runs a harmless login program on a pty,
 * which prints a banner and prompts like a device and runs a few commands. The pty echoes what we type, as a
 * real host does.
 */
import type { Observable } from 'rxjs';
import { concat, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpect } from '../../src/expect/expect.js';
import { LoginFailedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { connectTelnet } from '../../src/node/telnet.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { TelnetConnection } from '../../src/session/connection.js';
import { stopAllPeers } from './harness.js';
import { removeLoginPrograms, startTelnetd } from './telnetd.js';

afterEach(async () => {
  await stopAllPeers();
  removeLoginPrograms();
});

/** A login program that behaves like a small device: user, password (not echoed), then a shell of 3 commands. */
const deviceScript = `#!/bin/sh
printf 'Welcome to testbox\\r\\nlogin: '
read user
stty -echo
printf 'Password: '
read password
stty echo
printf '\\r\\n'
if [ "$password" != "secret" ]; then printf 'Login incorrect\\r\\n'; sleep 1; exit 1; fi
printf 'Last login: never\\r\\n'
while true; do
  printf 'testbox$ '
  read command || exit 0
  case "$command" in
    hostname) echo testbox ;;
    count) seq 1 500 ;;
    exit) exit 0 ;;
    *) echo "$command: not found" ;;
  esac
done
`;

const startDevice = (): Promise<number> => startTelnetd(deviceScript);

/** Runs `script` on a fresh connection to the device and collects what it emits. */
const session = <T>(port: number, script: (connection: TelnetConnection) => Observable<T>): Promise<T[]> =>
  new Promise((resolve, reject) => {
    connectTelnet({
      host: '127.0.0.1',
      port,
      // TTYPE refused: telnetd would wait for an answer to its SEND before it starts the login program.
      policy: policyOf({ remote: [TelnetOption.ECHO, TelnetOption.SGA] }),
    }).subscribe({
      next: (connection) => {
        lastValueFrom(script(connection).pipe(toArray())).then(
          (values) => {
            connection.loseConnection();
            resolve(values);
          },
          (error: unknown) => {
            connection.loseConnection();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
      error: reject,
    });
  });

describe('createExpect against inetutils telnetd', () => {
  it('logs in and runs commands, each output without the echo and the prompt', async () => {
    const port = await startDevice();
    const prompt = /testbox\$ $/;
    const [login, hostname, count, unknown] = await session(port, (connection) => {
      const dialogue = createExpect(connection, { timeout: 10_000 });
      return concat(
        dialogue.login({ user: 'admin', password: 'secret', prompt }),
        dialogue.exec('hostname', { prompt }),
        dialogue.exec('count', { prompt }),
        dialogue.exec('frobnicate', { prompt }),
      );
    });
    expect(typeof login === 'object' && login.before).toContain('Last login: never');
    expect(hostname).toBe('testbox');
    expect(count).toBe(Array.from({ length: 500 }, (_, index) => String(index + 1)).join('\n'));
    expect(unknown).toBe('frobnicate: not found');
  });

  it('reports a refused password as LoginFailedError', async () => {
    const port = await startDevice();
    const failure = await session(port, (connection) =>
      createExpect(connection).login({ user: 'admin', password: 'wrong', prompt: /testbox\$ $/ }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoginFailedError);
    expect((failure as LoginFailedError).received).toContain('Login incorrect');
  });
});

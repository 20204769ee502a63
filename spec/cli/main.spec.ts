/**
 * End to end: the built command in child processes on loopback.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PeerProcess, stopAllPeers } from '../interop/harness.js';
import { VERSION } from '../../src/version.js';
import { BUILD_TIMEOUT_MS, buildCliIfStale, cliMain, portIn, spawnCli } from './built-cli.js';

beforeAll(() => {
  buildCliIfStale();
}, BUILD_TIMEOUT_MS);

afterEach(async () => {
  await stopAllPeers();
});

const env = { ...process.env, TERM: 'xterm-256color' };

const startServe = async (): Promise<{ serve: PeerProcess; port: number }> => {
  const serve = spawnCli(['serve', '--port', '0'], 60_000);
  const line = await serve.waitForLine((l) => l.startsWith('rxtelnet demo MUD listening on'), { timeoutMs: 10_000 });
  return { serve, port: portIn(line) };
};

describe('rxtelnet (the demo, as npm start runs it)', () => {
  it('plays the scripted session with stdin closed, shows the negotiation, and exits 0', async () => {
    const demo = spawnCli([], 20_000, env);
    demo.closeStdin();
    const exit = await demo.exited;
    expect(demo.timedOut).toBe(false);
    expect(exit.code, demo.tail()).toBe(0);
    const stdout = demo.lines.join('\n');
    const stderr = demo.stderr;
    expect(stdout).toContain('Welcome to the rxtelnet demo MUD!');
    expect(stdout).toContain('You say: Hello from the rxtelnet demo!');
    expect(stdout).toContain('Goodbye!');
    for (const line of [
      '>> SB NAWS 80x24',
      '<< SB TTYPE SEND',
      '>> SB TTYPE IS "RXTELNET"',
      '>> SB TTYPE IS "xterm-256color"',
      '>> SB TTYPE IS "MTTS 15"',
      '<< WILL GMCP',
      '>> DO GMCP',
      '<< WILL MCCP2',
      '>> DO MCCP2',
      '<< SB MCCP2',
      '<< MCCP2 compression started',
      '<< WILL ECHO',
      '<< WONT ECHO',
    ]) {
      expect(stderr, line).toContain(line);
    }
    expect(stderr.some((line) => line.startsWith('<< SB GMCP Char.Vitals {"hp":'))).toBe(true);
    expect(stderr.some((line) => line.startsWith('<< SB MSSP NAME="rxtelnet demo MUD"'))).toBe(true);
    expect(
      stderr.some((line) =>
        /^server: \[127\.0\.0\.1:\d+\] client "RXTELNET" on "xterm-256color", MTTS ansi vt100 utf8 colors256$/.test(
          line,
        ),
      ),
    ).toBe(true);
  });
});

describe('rxtelnet (the demo) with stdout and stderr in one pipe (2>&1)', () => {
  it('keeps trace lines off prompts, each event traced before what it caused, each reply after its cause', async () => {
    const demo = PeerProcess.spawn('/bin/sh', {
      args: ['-c', 'exec "$0" "$1" 2>&1', process.execPath, cliMain],
      timeLimitMs: 20_000,
      env,
    });
    demo.closeStdin();
    expect((await demo.exited).code, demo.tail()).toBe(0);
    const lines = demo.lines;
    expect(lines.filter((line) => /(<<|>>) /.test(line) && !/^(<<|>>) /.test(line))).toEqual([]);
    const at = (line: string): number => lines.indexOf(line);
    expect(at('What is your name? ')).toBeGreaterThan(0);
    expect(at('What is your name? ')).toBeLessThan(at('<< GA'));
    expect(at('<< GA')).toBeLessThan(at('Ada'));
    expect(at('<< WILL EOR')).toBeLessThan(at('>> DO EOR'));
    expect(at('<< DO NAWS')).toBeLessThan(at('>> SB NAWS 80x24'));
    expect(lines.some((line) => line.includes('\u001b'))).toBe(false);
  });
});

describe('rxtelnet serve + connect', () => {
  it('runs a piped session to its end and exits 0', async () => {
    const { serve, port } = await startServe();
    const client = spawnCli(['connect', '127.0.0.1', String(port), '--trace'], 20_000, env);
    client.write('Bob\nsecret\nlook\nsay hello\nquit\n');
    client.closeStdin();
    const exit = await client.exited;
    expect(exit.code, client.tail()).toBe(0);
    const stdout = client.lines.join('\n');
    expect(stdout).toContain('Town Square');
    expect(stdout).toContain('You say: hello');
    expect(stdout).toContain('Goodbye!');
    expect(client.stderr).toContain('<< DO NAWS');
    expect(client.stderr).toContain('>> SB NAWS 80x24');
    expect(client.stderr).toContain('>> WILL TTYPE');
    await serve.waitForLine((line) => line.endsWith('Bob left the game'));
  });

  it('serves several clients at once: say reaches the room, who lists everyone', async () => {
    const { serve, port } = await startServe();
    const ada = spawnCli(['connect', '127.0.0.1', String(port)], 30_000, env);
    ada.write('Ada\npw\n');
    await serve.waitForLine((line) => line.endsWith('Ada entered the game'));
    const bob = spawnCli(['connect', '127.0.0.1', String(port)], 30_000, env);
    bob.write('Bob\npw\nsay hello Ada\nwho\n');
    await ada.waitForLine((line) => line.includes('Bob says: hello Ada'));
    await bob.waitForLine((line) => line.includes('Ada (Town Square)'));
    await bob.waitForLine((line) => line.includes('Bob (Town Square)'));
    bob.write('quit\n');
    ada.write('quit\n');
    bob.closeStdin();
    ada.closeStdin();
    expect((await bob.exited).code, bob.tail()).toBe(0);
    expect((await ada.exited).code, ada.tail()).toBe(0);
  });

  it('logs what each client is, from its TTYPE answers', async () => {
    const { serve, port } = await startServe();
    const client = spawnCli(['connect', '127.0.0.1', String(port)], 20_000, { ...env, TERM: 'vt100' });
    const line = await serve.waitForLine((l) => l.includes('client "RXTELNET"'));
    expect(line).toMatch(/client "RXTELNET" on "vt100", MTTS ansi vt100 utf8$/);
    client.closeStdin();
    expect((await client.exited).code).toBe(0);
  });
});

describe('rxtelnet proxy', () => {
  it('relays a session and logs the events of both directions, MCCP2 inflated', async () => {
    const { port } = await startServe();
    const proxy = spawnCli(['proxy', '0', '127.0.0.1', String(port)], 60_000);
    const listening = await proxy.waitForLine((l) => l.startsWith('rxtelnet proxy listening on'), {
      timeoutMs: 10_000,
    });
    const client = spawnCli(['connect', '127.0.0.1', String(portIn(listening))], 20_000, env);
    await proxy.waitForLine((l) => l === '[1] S->C MCCP2 compression started');
    client.write('Cy\npw\nlook\nquit\n');
    client.closeStdin();
    expect((await client.exited).code, client.tail()).toBe(0);
    await proxy.waitForLine((l) => l === '[1] closed');
    const log = proxy.lines;
    for (const line of [
      '[1] C->S WILL TTYPE',
      '[1] S->C WILL GMCP',
      '[1] C->S DO GMCP',
      '[1] C->S SB NAWS 80x24',
      '[1] S->C SB TTYPE SEND',
      '[1] C->S SB TTYPE IS "RXTELNET"',
      '[1] S->C SB MCCP2',
    ]) {
      expect(log, line).toContain(line);
    }
    expect(log.some((l) => l.startsWith('[1] S->C SB GMCP Char.Vitals'))).toBe(true);
    expect(log.some((l) => l.startsWith('[1] C->S DATA') && l.includes('look'))).toBe(true);
    expect(log.some((l) => l.startsWith('[1] S->C DATA') && l.includes('Goodbye!'))).toBe(true);
  });
});

describe('rxtelnet errors', () => {
  const runs = async (
    args: readonly string[],
  ): Promise<{ code: number | null; stderr: readonly string[]; stdout: readonly string[] }> => {
    const cli = spawnCli(args);
    cli.closeStdin();
    const exit = await cli.exited;
    return { code: exit.code, stderr: cli.stderr, stdout: cli.lines };
  };

  it('prints usage for --help', async () => {
    const { code, stdout } = await runs(['--help']);
    expect(code).toBe(0);
    expect(stdout[0]).toBe('Usage:');
  });

  it('prints the version for --version', async () => {
    const { code, stdout } = await runs(['--version']);
    expect(code).toBe(0);
    expect(stdout).toEqual([`rxtelnet ${VERSION}`]);
  });

  it.each([
    [['connect', 'localhost'], "rxtelnet: 'connect' takes HOST PORT, got 1 argument (see rxtelnet --help)"],
    [['serve', '--bogus'], "rxtelnet: unknown option '--bogus' for 'serve' (see rxtelnet --help)"],
    [['proxy', '1', '2'], "rxtelnet: 'proxy' takes LISTEN_PORT HOST PORT, got 2 arguments (see rxtelnet --help)"],
    [['frobnicate'], "rxtelnet: unknown command 'frobnicate' (see rxtelnet --help)"],
  ])('rejects %j with exit code 2 and one line', async (args, message) => {
    const { code, stderr } = await runs(args);
    expect(code).toBe(2);
    expect(stderr).toEqual([message]);
  });

  it('reports a refused port in one line, exit code 1', async () => {
    const port = await freePort();
    const { code, stderr } = await runs(['connect', '127.0.0.1', String(port)]);
    expect(code).toBe(1);
    expect(stderr).toEqual([`rxtelnet: cannot connect to 127.0.0.1:${port}: connection refused`]);
  });

  it('reports an unknown host in one line, exit code 1', async () => {
    const { code, stderr } = await runs(['connect', 'no-such-host.invalid', '23']);
    expect(code).toBe(1);
    expect(stderr).toEqual(['rxtelnet: cannot connect to no-such-host.invalid:23: unknown host']);
  });

  it('reports a server host it cannot listen on as such', async () => {
    const { code, stderr } = await runs(['serve', '--host', 'no-such-host.invalid', '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toEqual(['rxtelnet: cannot listen on no-such-host.invalid:0: unknown host']);
  });

  it('connects to an IPv6 address in brackets and writes it so', async () => {
    const port = await freePort();
    const { code, stderr } = await runs(['connect', '[::1]', String(port)]);
    expect(code).toBe(1);
    expect(stderr[0]).toMatch(
      new RegExp(`^rxtelnet: cannot connect to \\[::1\\]:${port}: (connection refused|unreachable)`),
    );
  });

  it('reports a port in use in one line, exit code 1', async () => {
    const { serve, port } = await startServe();
    const { code, stderr } = await runs(['serve', '--port', String(port)]);
    expect(code).toBe(1);
    expect(stderr).toEqual([`rxtelnet: cannot listen on 127.0.0.1:${port}: address already in use`]);
    expect(serve.alive).toBe(true);
  });
});

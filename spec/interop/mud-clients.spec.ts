/**
 * rxtelnet's MUD options against real MUD and Telnet clients: TinTin++, TinyFugue 5 and inetutils telnet, each in
 * a private tmux pane, connect to an rxtelnet server (spec/interop/mud-server.ts) that collects TTYPE/MTTS, reads
 * NAWS, offers EOR and MCCP2, then writes a welcome line and a prompt. The text must reach the client's screen
 * (inflated when MCCP2 was agreed), and what is typed into the client must reach the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mttsFromBits, MttsBit } from '../../src/options/ttype.js';
import { OptionRefusedError } from '../../src/negotiation/errors.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { requirePeer } from '../helpers/peers.js';
import { stopAllPeers } from './harness.js';
import { startMudServer, type MudServer, type MudSession } from './mud-server.js';
import { errorOf, type Settled } from './rxtelnet-ends.js';
import { PANE_TERM, TmuxPane } from './tmux.js';

const WELCOME = 'Welcome to the rxtelnet test realm: 7f3a';
const PROMPT = '<42hp 7mv> ';
const TEST_TIME_LIMIT_MS = 15_000;

const panes: TmuxPane[] = [];
const servers: MudServer[] = [];

afterEach(async () => {
  for (const pane of panes.splice(0)) pane.stop();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await stopAllPeers();
});

/** Starts the MUD server and a client pane pointed at it; resolves with the server's session of that client. */
const connectClient = async (
  command: (port: number) => [string, ...string[]],
  offers: readonly number[] = [],
): Promise<{ session: MudSession; pane: TmuxPane }> => {
  const server = await startMudServer({ welcome: WELCOME, prompt: PROMPT, offers });
  servers.push(server);
  const pane = TmuxPane.start(command(server.port), { width: 100, height: 30, timeLimitSeconds: 20 });
  panes.push(pane);
  let timer: NodeJS.Timeout | undefined;
  const noClient = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no client connected within 5 s; the pane shows:\n${pane.screen()}`));
    }, 5_000);
  });
  const session = await Promise.race([server.session, noClient]).finally(() => {
    clearTimeout(timer);
  });
  return { session, pane };
};

/** The settled value of a request, failing the test with its error otherwise. */
const agreed = async <T>(settled: Promise<Settled<T>>): Promise<T> => {
  const result = await settled;
  if (!result.ok) expect.fail(`expected agreement, got ${String(result.error)}`);
  return result.value;
};

/** Waits for the session's first NAWS report and returns the latest. */
const reportedSize = async (session: MudSession) => {
  await session.log.waitFor(() => session.sizes.length > 0);
  return session.sizes.at(-1);
};

/** Types `look` and Enter into the pane; resolves once the server has the line `look`. */
const typeLook = async (pane: TmuxPane, session: MudSession): Promise<void> => {
  pane.sendKeys('look', 'Enter');
  await session.log.waitFor(() => session.lines.some((line) => line._tag === 'Line' && line.text === 'look'));
};

describe('rxtelnet MUD server against real clients in tmux', () => {
  it(
    'TinTin++: MTTS cycle, NAWS of the pane, MCCP2 inflated to the screen, typed input back',
    { timeout: TEST_TIME_LIMIT_MS },
    async () => {
      const tintin = requirePeer('tintin');
      const { session, pane } = await connectClient((port) => [tintin, '-G', '-e', `#session mud 127.0.0.1 ${port}`]);

      const report = await agreed(session.ttype);
      expect(report.names).toEqual(['TINTIN++', PANE_TERM, 'MTTS 271']);
      expect(report.clientName).toBe('TINTIN++');
      expect(report.terminalType).toBe(PANE_TERM);
      expect(report.mtts).toEqual(
        mttsFromBits(MttsBit.ansi | MttsBit.vt100 | MttsBit.utf8 | MttsBit.colors256 | MttsBit.truecolor),
      );

      expect(await reportedSize(session)).toEqual(pane.size());

      await agreed(session.mccp2);
      expect(session.compression).toContainEqual({
        _tag: 'CompressionStarted',
        direction: 'output',
        option: TelnetOption.MCCP2,
      });
      await session.welcomed;
      const screen = await pane.waitForScreen((text) => text.includes(WELCOME) && text.includes(PROMPT.trim()));
      expect(screen).toContain(WELCOME);

      await typeLook(pane, session);
      expect(session.connection.isEnabled('local', TelnetOption.MCCP2)).toBe(true);
    },
  );

  it(
    'TinyFugue 5: names without MTTS, NAWS, MCCP2 inflated to the screen, typed input back',
    { timeout: TEST_TIME_LIMIT_MS },
    async () => {
      const tf5 = requirePeer('tf5');
      const { session, pane } = await connectClient((port) => [tf5, '-f', '127.0.0.1', String(port)]);

      const report = await agreed(session.ttype);
      expect(report.names).toEqual(['TINYFUGUE', 'ANSI-ATTR', 'ANSI', 'UNKNOWN']);
      expect(report.mtts).toBeUndefined();

      // tf5 keeps one column free and reserves its status and input lines (99x26 in a 100x30 pane).
      const { width, height } = pane.size();
      expect(await reportedSize(session)).toEqual({ width: width - 1, height: height - 4 });

      await agreed(session.mccp2);
      expect(session.compression).toContainEqual({
        _tag: 'CompressionStarted',
        direction: 'output',
        option: TelnetOption.MCCP2,
      });
      await session.welcomed;
      await pane.waitForScreen((text) => text.includes(WELCOME));

      await typeLook(pane, session);
    },
  );

  it(
    'inetutils telnet: TTYPE and NAWS, refuses MCCP2 so the text goes plain, typed input back',
    { timeout: TEST_TIME_LIMIT_MS },
    async () => {
      const telnet = requirePeer('telnet');
      const { session, pane } = await connectClient((port) => [telnet, '127.0.0.1', String(port)]);

      const report = await agreed(session.ttype);
      expect(report.names).toEqual([PANE_TERM.toUpperCase()]);
      expect(report.mtts).toBeUndefined();
      expect(await reportedSize(session)).toEqual(pane.size());

      expect(errorOf(await session.mccp2)).toBeInstanceOf(OptionRefusedError);
      await session.welcomed;
      expect(session.compression).toEqual([]);
      await pane.waitForScreen((text) => text.includes(WELCOME));

      // In line mode (we offered neither ECHO nor SGA) it sends Enter as CR LF, decoded to LF.
      await typeLook(pane, session);
      expect(session.log.data().toString('latin1')).toBe('look\n');
    },
  );

  it(
    'inetutils telnet in character mode (we offer ECHO and SGA): Enter arrives as CR NUL',
    { timeout: TEST_TIME_LIMIT_MS },
    async () => {
      const telnet = requirePeer('telnet');
      const { session, pane } = await connectClient(
        (port) => [telnet, '127.0.0.1', String(port)],
        [TelnetOption.ECHO, TelnetOption.SGA],
      );
      await session.welcomed;
      await pane.waitForScreen((text) => text.includes(WELCOME));
      expect(
        session.connection.isEnabled('local', TelnetOption.ECHO) &&
          session.connection.isEnabled('local', TelnetOption.SGA),
      ).toBe(true);

      // Enter is CR NUL now, which the NVT decoding turns into a bare CR: it still ends the line.
      await typeLook(pane, session);
      expect(session.log.data().toString('latin1')).toBe('look\r');
    },
  );
});

/**
 * Captures golden transcripts of real Telnet software into spec/fixtures/transcripts/*.json.
 *
 * Run it with `bash spec/interop/capture.sh [NAME...]`: the shell script compiles this file and runs it inside a
 * private network namespace (`unshare -n`), where only a loopback interface exists, so libtelnet's telnet-chatd
 * (which binds every interface) is reachable from nothing else. Every capture is bounded in time and stops only
 * the processes it started, by PID.
 *
 * Clients meet {@link respondAsMudServer}: a recorder-server that opens with DO TTYPE, DO NAWS, WILL ECHO,
 * WILL SGA, WILL EOR, WILL GMCP, WILL MCCP2, WILL MSSP, cycles TTYPE with SB TTYPE SEND after each answer (four
 * times, enough for MTTS), refuses what it did not offer, sends MSSP when asked, then a line of text; the client
 * then types `look` and Enter. Servers meet a recorder-client that answers nothing ("passive") or refuses every
 * request with WONT / DONT ("refusing").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { requirePeer, requireTwisted, type PeerName } from '../helpers/peers.js';
import { PeerProcess, delay, stopAllPeers } from './harness.js';
import { RawRecorder } from './recorder.js';
import { TelnetScanner, describeItem, scan } from './telnet-scan.js';
import { toTranscriptChunks, transcriptDir, type Transcript } from './transcript.js';
import { TwistedPeer, twistedServerGreeting } from './twisted.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const WILL = 251;
const WONT = 252;
const DO = 253;
const DONT = 254;
const TTYPE = 24;
const NAWS = 31;
const ECHO = 1;
const SGA = 3;
const EOR = 25;
const GMCP = 201;
const MCCP2 = 86;
const MSSP = 70;
const TTYPE_SEND = 1;
const TTYPE_IS = 0;
const MSSP_VAR = 1;
const MSSP_VAL = 2;

/** How many times the MUD server asks for the terminal type (MTTS needs three; the fourth shows the repeat). */
const TTYPE_ROUNDS = 4;
const WELCOME = 'Welcome to the rxtelnet recorder.\r\n';

const mudOpening = Uint8Array.of(
  ...[DO, TTYPE, DO, NAWS].flatMap((b, i) => (i % 2 === 0 ? [IAC, b] : [b])),
  ...[ECHO, SGA, EOR, GMCP, MCCP2, MSSP].flatMap((option) => [IAC, WILL, option]),
);

const ttypeSend = Uint8Array.of(IAC, SB, TTYPE, TTYPE_SEND, IAC, SE);

const msspTable = (): Uint8Array =>
  Uint8Array.of(
    IAC,
    SB,
    MSSP,
    MSSP_VAR,
    ...Buffer.from('NAME'),
    MSSP_VAL,
    ...Buffer.from('rxtelnet recorder'),
    MSSP_VAR,
    ...Buffer.from('PLAYERS'),
    MSSP_VAL,
    ...Buffer.from('0'),
    IAC,
    SE,
  );

const offeredLocally = new Set([ECHO, SGA, EOR, GMCP, MCCP2, MSSP]);
const requestedRemotely = new Set([TTYPE, NAWS]);

/**
 * Plays a MUD-like server against a client on `rec`; resolves once the welcome line has been sent.
 * It never starts MCCP2 compression, so everything stays readable (the client's DO MCCP2 is still recorded).
 */
const respondAsMudServer = (rec: RawRecorder): Promise<void> => {
  const scanner = new TelnetScanner();
  let ttypeRounds = 0;
  let welcomed = false;
  const refused = new Set<string>();
  return new Promise((resolve) => {
    const welcome = (): void => {
      if (welcomed) return;
      welcomed = true;
      rec.send(Buffer.from(WELCOME));
      resolve();
    };
    const askTtype = (): void => {
      ttypeRounds += 1;
      rec.send(ttypeSend);
    };
    const refuseOnce = (verb: number, option: number): void => {
      const key = `${verb}:${option}`;
      if (refused.has(key)) return;
      refused.add(key);
      rec.send(Uint8Array.of(IAC, verb, option));
    };
    rec.onReceive((chunk) => {
      for (const item of scanner.push(chunk)) {
        if (item.kind === 'negotiation') {
          const { verb, option } = item;
          if (verb === 'WILL' && option === TTYPE && ttypeRounds === 0) askTtype();
          else if (verb === 'WONT' && option === TTYPE) welcome();
          else if (verb === 'WILL' && !requestedRemotely.has(option)) refuseOnce(DONT, option);
          else if (verb === 'DO' && option === MSSP) rec.send(msspTable());
          else if (verb === 'DO' && !offeredLocally.has(option)) refuseOnce(WONT, option);
        } else if (item.kind === 'subnegotiation' && item.option === TTYPE && item.payload[0] === TTYPE_IS) {
          if (ttypeRounds < TTYPE_ROUNDS) askTtype();
          else welcome();
        }
      }
    });
    rec.send(mudOpening);
    setTimeout(welcome, 3_000);
  });
};

/** Answers every DO with WONT and every WILL with DONT, once per option. */
const refuseEverything = (rec: RawRecorder): void => {
  const scanner = new TelnetScanner();
  const answered = new Set<string>();
  rec.onReceive((chunk) => {
    for (const item of scanner.push(chunk)) {
      if (item.kind !== 'negotiation' || (item.verb !== 'DO' && item.verb !== 'WILL')) continue;
      const key = `${item.verb}:${item.option}`;
      if (answered.has(key)) continue;
      answered.add(key);
      rec.send(Uint8Array.of(IAC, item.verb === 'DO' ? WONT : DONT, item.option));
    }
  });
};

/** `name version` of an installed Debian package. */
const packageVersion = (pkg: string): string =>
  execFileSync('dpkg-query', ['-W', '-f=${Package} ${Version}', pkg], { encoding: 'utf8' });

/** The TERM that programs see inside our tmux panes. */
const PANE_TERM = 'xterm-256color';

/** A tmux server of our own (private socket), running one program in one pane. */
class TmuxPane {
  private constructor(
    private readonly tmux: string,
    private readonly socket: string,
    readonly serverPid: number,
    readonly panePid: number,
  ) {}

  static start(dir: string, command: readonly string[], env: Readonly<Record<string, string>>): TmuxPane {
    const tmux = requirePeer('tmux');
    const socket = join(dir, 'tmux.sock');
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const config = join(dir, 'tmux.conf');
    writeFileSync(config, `set -g default-terminal ${PANE_TERM}\n`);
    execFileSync(tmux, [
      '-S',
      socket,
      '-f',
      config,
      'new-session',
      '-d',
      '-x',
      '100',
      '-y',
      '30',
      ...envArgs,
      ...command,
    ]);
    const [serverPid, panePid] = execFileSync(tmux, ['-S', socket, 'display-message', '-p', '#{pid} #{pane_pid}'], {
      encoding: 'utf8',
    })
      .trim()
      .split(' ')
      .map(Number);
    return new TmuxPane(tmux, socket, serverPid!, panePid!);
  }

  /** Types `keys` (tmux key names such as `Enter` are interpreted). */
  sendKeys(...keys: string[]): void {
    execFileSync(this.tmux, ['-S', this.socket, 'send-keys', '-t', '0', ...keys]);
  }

  screen(): string {
    return execFileSync(this.tmux, ['-S', this.socket, 'capture-pane', '-p', '-t', '0'], { encoding: 'utf8' });
  }

  /** Kills our tmux server (and with it the pane), then makes sure both PIDs are gone. */
  stop(): void {
    try {
      execFileSync(this.tmux, ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // The server may already be gone.
    }
    for (const pid of [this.panePid, this.serverPid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already exited.
      }
    }
  }
}

interface Capture {
  readonly file: string;
  readonly peer: string;
  readonly packages: readonly string[];
  readonly role: Transcript['role'];
  readonly captured: string;
  readonly run: (workdir: string) => Promise<RawRecorder>;
}

/** Records a client program: start the MUD recorder-server, launch the client, type `look`, wait for quiet. */
const captureClient = async (
  launch: (port: number) => { typeLine: (line: string) => void; stop: () => Promise<void> | void },
): Promise<RawRecorder> => {
  const server = await RawRecorder.listen();
  const client = launch(server.port);
  try {
    const rec = await withTimeout(server.accepted, 5_000, 'client did not connect');
    await respondAsMudServer(rec);
    await rec.waitForQuiet(700, 3_000);
    client.typeLine('look');
    await rec.waitForQuiet(700, 3_000);
    return rec;
  } finally {
    await client.stop();
    server.close();
  }
};

const inTmux = (workdir: string, command: readonly string[], env: Readonly<Record<string, string>> = {}) => {
  const pane = TmuxPane.start(workdir, command, { HOME: workdir, ...env });
  return {
    typeLine: (line: string) => {
      pane.sendKeys(line, 'Enter');
    },
    stop: () => {
      if (process.env.CAPTURE_DEBUG !== undefined) console.error(pane.screen());
      pane.stop();
    },
  };
};

/** Records a server program: connect a recorder-client, optionally refuse everything, wait for quiet. */
const captureServer = async (port: number, refusing: boolean): Promise<RawRecorder> => {
  const rec = await RawRecorder.connect(port);
  if (refusing) refuseEverything(rec);
  await rec.waitForQuiet(SERVER_QUIET_MS, 8_000);
  await rec.close();
  return rec;
};

/** Connects to `port` until something accepts, for servers that take a moment to listen. */
const waitForListener = async (port: number, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (probe) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await delay(100);
  }
};

const withTimeout = <A>(promise: Promise<A>, ms: number, what: string): Promise<A> =>
  Promise.race([promise, delay(ms).then(() => Promise.reject(new Error(`${what} within ${ms} ms`)))]);

const twistedServer = (refusing: boolean): Capture => ({
  file: `twisted-server-${refusing ? 'refusing' : 'passive'}.json`,
  peer: 'twisted.conch.telnet TelnetTransport server (spec/interop/peers/twisted_peer.py)',
  packages: ['python3-twisted'],
  role: 'server',
  captured: `twisted_peer.py server --greet do:31,do:24,will:3,will:1 (Twisted's usual opening); a raw recorder-client ${refusing ? 'answered WONT to every DO and DONT to every WILL' : 'answered nothing'} and listened until 3 s of quiet`,
  run: async () => {
    const server = await TwistedPeer.server({ greet: twistedServerGreeting, timeLimitMs: 15_000 });
    try {
      return await captureServer(server.port, refusing);
    } finally {
      await server.stop();
    }
  },
});

/** How long a server must stay silent before its capture ends (telnetd waits for answers a while). */
const SERVER_QUIET_MS = 3_000;
const CHATD_PORT = 23_023;
const TELNETD_PORT = 23_123;

const telnetdServer = (refusing: boolean): Capture => ({
  file: `inetutils-telnetd-${refusing ? 'refusing' : 'passive'}.json`,
  peer: 'inetutils telnetd (via socat)',
  packages: ['inetutils-telnetd', 'socat'],
  role: 'server',
  captured: `socat TCP-LISTEN:${TELNETD_PORT},bind=127.0.0.1,reuseaddr,fork EXEC:'/usr/sbin/telnetd -h -E LOGIN' (-h: no host banner) with LOGIN a shell script that prints "login ok" and sleeps, inside unshare -n; a raw recorder-client ${refusing ? 'answered WONT to every DO and DONT to every WILL' : 'answered nothing'} and listened until 3 s of quiet`,
  run: async (workdir) => {
    const login = join(workdir, 'harmless-login');
    writeFileSync(login, '#!/bin/sh\necho "login ok"\nexec sleep 5\n');
    chmodSync(login, 0o755);
    const socat = PeerProcess.spawn(requirePeer('socat'), {
      args: [
        `TCP-LISTEN:${TELNETD_PORT},bind=127.0.0.1,reuseaddr,fork`,
        `EXEC:${requirePeer('telnetd')} -h -E ${login}`,
      ],
      timeLimitMs: 15_000,
    });
    try {
      await waitForListener(TELNETD_PORT, 5_000);
      return await captureServer(TELNETD_PORT, refusing);
    } finally {
      await socat.stop();
    }
  },
});

const chatdServer = (refusing: boolean): Capture => ({
  file: `libtelnet-chatd-${refusing ? 'refusing' : 'passive'}.json`,
  peer: 'libtelnet telnet-chatd',
  packages: ['libtelnet-utils'],
  role: 'server',
  captured: `telnet-chatd ${CHATD_PORT} inside unshare -n (loopback only); a raw recorder-client ${refusing ? 'answered WONT to every DO and DONT to every WILL' : 'answered nothing'} and listened until 3 s of quiet`,
  run: async () => {
    // A probe connection would kill chatd (it dies writing its greeting to a closed socket): wait for its banner.
    const chatd = PeerProcess.spawn(requirePeer('stdbuf'), {
      args: ['-oL', requirePeer('telnetChatd'), String(CHATD_PORT)],
      timeLimitMs: 15_000,
    });
    try {
      await chatd.waitForLine((line) => line.startsWith('LISTENING ON PORT'));
      return await captureServer(CHATD_PORT, refusing);
    } finally {
      await chatd.stop();
    }
  },
});

const mudServerHow =
  'a raw recorder-server sent IAC DO TTYPE, DO NAWS, WILL ECHO, WILL SGA, WILL EOR, WILL GMCP, WILL MCCP2, WILL MSSP, ' +
  `then IAC SB TTYPE SEND IAC SE after WILL TTYPE and after each TTYPE IS (${TTYPE_ROUNDS} times), DONT/WONT to what it had not asked or offered, ` +
  `an MSSP table on DO MSSP (no MCCP2 compression), then "${WELCOME.trim()}" CR LF; then "look" and Enter were typed into the client`;

const clientCaptures: readonly Capture[] = [
  {
    file: 'inetutils-telnet-client.json',
    peer: 'inetutils telnet',
    packages: ['inetutils-telnet'],
    role: 'client',
    captured: `telnet 127.0.0.1 PORT in a 100x30 tmux pane (TERM=xterm-256color); ${mudServerHow}`,
    run: async (workdir) =>
      captureClient((port) => inTmux(workdir, [requirePeer('telnet'), '127.0.0.1', String(port)])),
  },
  {
    file: 'libtelnet-telnet-client.json',
    peer: 'libtelnet telnet-client',
    packages: ['libtelnet-utils'],
    role: 'client',
    captured: `telnet-client 127.0.0.1 PORT with TERM=xterm-256color, stdin a pipe kept open, "look\\n" written to it; ${mudServerHow}`,
    run: async () =>
      captureClient((port) => {
        const client = PeerProcess.spawn(requirePeer('telnetClient'), {
          args: ['127.0.0.1', String(port)],
          env: { ...process.env, TERM: 'xterm-256color' },
          timeLimitMs: 15_000,
        });
        return {
          typeLine: (line) => {
            client.write(`${line}\n`);
          },
          stop: async () => {
            await client.stop();
          },
        };
      }),
  },
  {
    file: 'tintin-client.json',
    peer: 'TinTin++ (tt++)',
    packages: ['tintin++'],
    role: 'client',
    captured: `tt++ -G -e '#session rec 127.0.0.1 PORT' in a 100x30 tmux pane (TERM=xterm-256color, empty HOME); ${mudServerHow}`,
    run: async (workdir) =>
      captureClient((port) => inTmux(workdir, [requirePeer('tintin'), '-G', '-e', `#session rec 127.0.0.1 ${port}`])),
  },
  {
    file: 'tf5-client.json',
    peer: 'TinyFugue 5 (tf5)',
    packages: ['tf5'],
    role: 'client',
    captured: `tf5 -f 127.0.0.1 PORT (no config file) in a 100x30 tmux pane (TERM=xterm-256color, empty HOME); ${mudServerHow}`,
    run: async (workdir) =>
      captureClient((port) => inTmux(workdir, [requirePeer('tf5'), '-f', '127.0.0.1', String(port)])),
  },
];

const captures: readonly Capture[] = [
  ...clientCaptures,
  twistedServer(false),
  twistedServer(true),
  telnetdServer(false),
  telnetdServer(true),
  chatdServer(false),
  chatdServer(true),
];

const peersUsed: readonly PeerName[] = [
  'tmux',
  'socat',
  'telnetd',
  'telnetChatd',
  'telnetClient',
  'telnet',
  'tintin',
  'tf5',
];

const main = async (only: readonly string[]): Promise<void> => {
  peersUsed.forEach(requirePeer);
  requireTwisted();
  mkdirSync(transcriptDir, { recursive: true });
  const chosen = captures.filter((c) => only.length === 0 || only.some((o) => c.file.includes(o)));
  for (const capture of chosen) {
    const workdir = mkdtempSync(join(tmpdir(), 'rxtelnet-capture-'));
    try {
      const rec = await withTimeout(capture.run(workdir), 20_000, `${capture.file}: capture did not finish`);
      const transcript: Transcript = {
        peer: capture.peer,
        version: capture.packages.map(packageVersion).join(', '),
        role: capture.role,
        captured: capture.captured,
        chunks: toTranscriptChunks(rec.chunks),
      };
      writeFileSync(join(transcriptDir, capture.file), `${JSON.stringify(transcript, null, 2)}\n`);
      const fromPeer = Buffer.concat(rec.chunks.filter((c) => c.dir === 'peer->us').map((c) => c.bytes));
      console.log(`${capture.file}: ${fromPeer.length} bytes from the peer`);
      console.log(`  ${scan(fromPeer).map(describeItem).join(', ')}`);
    } finally {
      await stopAllPeers();
      rmSync(workdir, { recursive: true, force: true });
    }
  }
};

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    void stopAllPeers().finally(() => process.exit(1));
  },
);

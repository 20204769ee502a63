/**
 * Drives spec/interop/peers/twisted_peer.py: Twisted's own Telnet implementation as a server or a client whose
 * every callback arrives as a typed event and which takes JSON commands.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { requireTwisted, twistedPeerScript } from '../helpers/peers.js';
import { PeerProcess, type WaitOptions } from './harness.js';

const RequestId = t.union([t.string, t.number, t.null]);

/** io-ts codec of one JSON line the Twisted peer prints. */
export const TwistedEvent = t.union([
  t.type({ ev: t.literal('listening'), port: t.number }),
  t.type({ ev: t.literal('connected') }),
  t.type({ ev: t.literal('data'), hex: t.string }),
  t.type({ ev: t.literal('command'), command: t.number, argument: t.union([t.number, t.null]) }),
  t.type({ ev: t.literal('sb'), option: t.number, hex: t.string }),
  t.type({ ev: t.union([t.literal('enableLocal'), t.literal('enableRemote')]), option: t.number, accepted: t.boolean }),
  t.type({ ev: t.union([t.literal('disableLocal'), t.literal('disableRemote')]), option: t.number }),
  t.intersection([t.type({ ev: t.literal('result'), id: RequestId, ok: t.boolean }), t.partial({ error: t.string })]),
  t.type({ ev: t.literal('deaf') }),
  t.type({ ev: t.literal('ignored'), hex: t.string }),
  t.type({ ev: t.literal('closed'), reason: t.string }),
  t.type({ ev: t.literal('error'), message: t.string }),
  t.type({ ev: t.literal('exit'), reason: t.string }),
]);

/** One event of the Twisted peer. */
export type TwistedEvent = t.TypeOf<typeof TwistedEvent>;

/** A command for the Twisted peer's stdin (see the script's docstring for what each does). */
export type TwistedCommand =
  | { readonly cmd: 'do' | 'dont' | 'will' | 'wont'; readonly option: number; readonly id: string | number }
  | { readonly cmd: 'write' | 'raw'; readonly hex: string }
  | { readonly cmd: 'sb'; readonly option: number; readonly hex: string }
  | { readonly cmd: 'accept'; readonly local: readonly number[]; readonly remote: readonly number[] }
  | { readonly cmd: 'deaf' }
  | { readonly cmd: 'close' }
  | { readonly cmd: 'exit' };

/** A negotiation request run as soon as a connection is made, e.g. `['do', 31]`. */
export type Greeting = readonly ['do' | 'dont' | 'will' | 'wont', number];

/** Twisted's usual server opening: DO NAWS, DO TTYPE, WILL SGA, WILL ECHO. */
export const twistedServerGreeting: readonly Greeting[] = [
  ['do', 31],
  ['do', 24],
  ['will', 3],
  ['will', 1],
];

/** How to start the Twisted peer. */
export interface TwistedPeerOptions {
  readonly greet?: readonly Greeting[];
  /**
   * The options `enableLocal` (the peer's DO) and `enableRemote` (the peer's WILL) accept from the start, before
   * any connection exists; the `accept` command replaces them later.
   */
  readonly accept?: { readonly local?: readonly number[]; readonly remote?: readonly number[] };
  /** The script exits by itself after this long; the harness kills it 5 s later. Default 20 s. */
  readonly timeLimitMs?: number;
}

/** Parses one stdout line of the Twisted peer; throws with the io-ts report when it is not an event. */
export const parseTwistedEvent = (line: string): TwistedEvent => {
  const decoded = TwistedEvent.decode(JSON.parse(line));
  if (E.isLeft(decoded)) throw new Error(`bad Twisted peer event ${line}: ${PathReporter.report(decoded).join('; ')}`);
  return decoded.right;
};

const tryParse = (line: string): TwistedEvent | undefined => {
  try {
    return parseTwistedEvent(line);
  } catch {
    return undefined;
  }
};

/**
 * A running Twisted peer.
 *
 * @example
 * ```ts
 * const server = await TwistedPeer.server({ greet: twistedServerGreeting });
 * const socket = net.connect(server.port, '127.0.0.1');
 * await server.waitForEvent((e) => e.ev === 'connected');
 * server.command({ cmd: 'raw', hex: '68690d0a' });
 * ```
 */
export class TwistedPeer {
  private constructor(
    readonly process: PeerProcess,
    /** The listening port (server mode) or the port connected to (client mode). */
    readonly port: number,
  ) {}

  /** Starts `twisted_peer.py server` and resolves once it listens. */
  static async server(options: TwistedPeerOptions = {}): Promise<TwistedPeer> {
    const peer = TwistedPeer.spawn(['server'], options);
    const listening = parseTwistedEvent(await peer.waitForLine((l) => tryParse(l)?.ev === 'listening'));
    if (listening.ev !== 'listening') throw new Error('unreachable: not a listening event');
    return new TwistedPeer(peer, listening.port);
  }

  /** Starts `twisted_peer.py client PORT`; wait for the `connected` event before sending data. */
  static client(port: number, options: TwistedPeerOptions = {}): TwistedPeer {
    return new TwistedPeer(TwistedPeer.spawn(['client', String(port)], options), port);
  }

  private static spawn(mode: readonly string[], options: TwistedPeerOptions): PeerProcess {
    const python = requireTwisted();
    const limitMs = options.timeLimitMs ?? 20_000;
    const greet = (options.greet ?? []).map(([verb, option]) => `${verb}:${option}`).join(',');
    const accept = (flag: string, list: readonly number[] | undefined): string[] =>
      list === undefined ? [] : [flag, list.join(',')];
    return PeerProcess.spawn(python, {
      args: [
        '-u',
        twistedPeerScript,
        ...mode,
        '--time-limit',
        String(limitMs / 1000),
        ...(greet ? ['--greet', greet] : []),
        ...accept('--accept-local', options.accept?.local),
        ...accept('--accept-remote', options.accept?.remote),
      ],
      timeLimitMs: limitMs + 5_000,
    });
  }

  /** Every event so far, in order. */
  events(): TwistedEvent[] {
    return this.process.lines.map(parseTwistedEvent);
  }

  /** The number of lines seen so far: pass it as `from` to wait only for events that come after now. */
  mark(): number {
    return this.process.lines.length;
  }

  /** Resolves with the first event (from `options.from` on) that satisfies `predicate`. */
  async waitForEvent<E extends TwistedEvent>(
    predicate: ((event: TwistedEvent) => event is E) | ((event: TwistedEvent) => boolean),
    options: WaitOptions = {},
  ): Promise<E> {
    const line = await this.process.waitForLine((l) => {
      const event = tryParse(l);
      return event !== undefined && predicate(event);
    }, options);
    return parseTwistedEvent(line) as E;
  }

  /** All `data` events so far, concatenated. */
  receivedData(): Buffer {
    return Buffer.concat(this.events().flatMap((e) => (e.ev === 'data' ? [Buffer.from(e.hex, 'hex')] : [])));
  }

  /** Sends one command to the peer's stdin. */
  command(command: TwistedCommand): void {
    this.process.send(JSON.stringify(command));
  }

  /** Asks the peer to exit and waits for it (killing it if it does not exit in time). */
  async stop(): Promise<void> {
    if (this.process.alive) {
      this.command({ cmd: 'exit' });
      const exited = await Promise.race([this.process.exited, new Promise((r) => setTimeout(r, 2_000, 'late'))]);
      if (exited === 'late') await this.process.stop();
    }
  }
}

/**
 * One player's connection to the demo MUD: negotiation (GMCP, MSSP, MCCP2, EOR, TTYPE with MTTS, NAWS), the
 * login with a hidden password (WILL ECHO while it is typed), then the game loop.
 *
 * @module
 */
import {
  asyncScheduler,
  catchError,
  EMPTY,
  type Observable,
  type SchedulerAction,
  type SchedulerLike,
  Subscription,
} from 'rxjs';
import * as E from '#fp-ts/Either';
import { hideInput, lines, TelnetOption, requestTerminalTypes, sendPrompt, windowSizes } from '../../index.js';
import { decodeGmcp, sendGmcp, serveMssp } from '../../mud/index.js';
import type { OptionSideState, TelnetConnection, TtypeReport } from '../../index.js';
import type { MsspTable, MttsFlags } from '../../mud/index.js';
import { watchConnection } from '../../session/connection.js';
import type { LoginCheck, Player, Realm } from './realm.js';
import { compactJson, safeLine } from '../trace.js';
import {
  afterWalking,
  describeRoom,
  freshVitals,
  helpText,
  parseCommand,
  playerName,
  regenerate,
  roomNumber,
  rooms,
  START_ROOM,
} from './world.js';
import type { Vitals } from './world.js';

/** What every session of one server shares. */
export interface SessionContext {
  readonly realm: Realm;
  /** The server's log (one line per call). */
  readonly log: (line: string) => void;
  /** The MSSP table to send when a client asks for it. */
  readonly mssp: () => MsspTable;
  /** Milliseconds between two regeneration ticks (each sends GMCP Char.Vitals). */
  readonly tickInterval: number;
  /** Milliseconds a client has to log in before it is told and closed. Default {@link LOGIN_TIMEOUT}. */
  readonly loginTimeout?: number;
  /** The clock of the login timeout; default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Milliseconds a client has to log in by default. */
export const LOGIN_TIMEOUT = 60_000;

type Phase =
  | { readonly _tag: 'Name' }
  | { readonly _tag: 'Password'; readonly name: string }
  | { readonly _tag: 'Checking'; readonly name: string; readonly typedAhead: string[] }
  | { readonly _tag: 'Playing'; readonly player: Player }
  | { readonly _tag: 'Gone' };

const CRLF = '\r\n';

/** Wrong passwords one connection may try before it is closed. */
export const MAX_LOGIN_ATTEMPTS = 3;

const mttsSummary = (flags: MttsFlags): string => {
  const names = (Object.keys(flags) as (keyof MttsFlags)[]).filter((key) => flags[key]);
  return names.length === 0 ? 'no MTTS flags' : `MTTS ${names.join(' ')}`;
};

/**
 * How the server log describes a client once its TTYPE answers are in.
 *
 * @example
 * ```text
 * describeClient(report); // 'client "MUDLET" on "ANSI-TRUECOLOR", MTTS ansi utf8 colors256 truecolor'
 * ```
 */
export const describeClient = (report: TtypeReport): string =>
  report.mtts === undefined
    ? `terminal type ${JSON.stringify(report.terminalType)}`
    : `client ${JSON.stringify(report.clientName)} on ${JSON.stringify(report.terminalType)}, ${mttsSummary(report.mtts)}`;

/** Asks for an option and ignores a refusal. */
const ask = (request: Observable<OptionSideState>): Subscription => request.pipe(catchError(() => EMPTY)).subscribe();

/**
 * Runs one player's session on `connection` until it closes. Unsubscribing stops the session's timers and
 * streams (it does not close the connection). An idle connection at the login prompt holds only what it needs
 * there: the ticks start with the game, the login timer ends with the login.
 *
 * @example
 * ```text
 * const session = startSession(connection, { realm, log: console.log, mssp: () => table, tickInterval: 5000 });
 * connection.closed$.subscribe(() => session.unsubscribe());
 * ```
 */
export const startSession = (connection: TelnetConnection, context: SessionContext): Subscription => {
  const { realm } = context;
  const session = new Subscription();
  const peer = `${connection.getPeer().address}:${connection.getPeer().port}`;
  const log = (line: string): void => {
    context.log(`[${peer}] ${safeLine(line)}`);
  };
  let phase: Phase = { _tag: 'Name' };
  let wrongPasswords = 0;
  let vitals: Vitals = freshVitals;
  /** `WILL ECHO` while the password is typed: unsubscribing sends `WONT ECHO` (queued if still negotiating). */
  let hiding: Subscription | undefined;
  /** Until the login: closes a connection that takes too long. */
  let loginTimer: Subscription | undefined;
  const scheduler = context.scheduler ?? asyncScheduler;
  const stopLoginTimer = (): void => {
    if (loginTimer !== undefined) session.remove(loginTimer);
    loginTimer?.unsubscribe();
    loginTimer = undefined;
  };

  const send = (text: readonly string[]): void => {
    connection.write(text.map((line) => `${line}${CRLF}`).join(''));
  };
  const prompt = (text: string): void => {
    sendPrompt(connection, text);
  };
  const gameprompt = (): void => {
    prompt(`[${vitals.hp}/${vitals.maxhp}hp ${vitals.mp}/${vitals.maxmp}mp] > `);
  };
  const gmcp = (name: string, json: unknown): void => {
    sendGmcp(connection, name, json);
  };
  const sendVitals = (): void => {
    gmcp('Char.Vitals', vitals);
  };
  const sendRoom = (player: Player): void => {
    const room = rooms.get(player.room);
    if (room !== undefined) gmcp('Room.Info', { num: roomNumber(room.id), name: room.name, exits: room.exits });
  };
  const look = (player: Player): void => {
    const room = rooms.get(player.room);
    if (room === undefined) return;
    send(
      describeRoom(
        room,
        realm.playersIn(room.id, player).map((other) => other.name),
      ),
    );
  };
  const hidePassword = (): void => {
    hiding = hideInput(connection)
      .pipe(catchError(() => EMPTY))
      .subscribe();
    session.add(hiding);
  };
  const showInput = (): void => {
    if (hiding !== undefined) session.remove(hiding);
    hiding?.unsubscribe();
    hiding = undefined;
  };

  const enterGame = (name: string): void => {
    const player: Player = {
      name,
      room: START_ROOM,
      tell: (text) => {
        send(['', ...text]);
        gameprompt();
      },
    };
    phase = { _tag: 'Playing', player };
    stopLoginTimer();
    session.add(
      asyncScheduler.schedule(function tick(this: SchedulerAction<undefined>) {
        if (phase._tag !== 'Playing') return;
        vitals = regenerate(vitals);
        sendVitals();
        this.schedule(undefined, context.tickInterval);
      }, context.tickInterval),
    );
    realm.enter(player);
    log(`${name} entered the game`);
    for (const other of realm.playersIn(player.room, player)) other.tell([`${name} arrives.`]);
    look(player);
    sendVitals();
    sendRoom(player);
  };

  const leaveGame = (player: Player, farewell: string): void => {
    realm.leave(player);
    log(`${player.name} left the game`);
    for (const other of realm.playersIn(player.room)) other.tell([`${player.name} ${farewell}`]);
  };

  const play = (player: Player, line: string): void => {
    const command = parseCommand(line);
    switch (command._tag) {
      case 'Empty':
        break;
      case 'Look':
        look(player);
        break;
      case 'Go': {
        const target = rooms.get(player.room)?.exits[command.direction];
        if (target === undefined) {
          send(['You cannot go that way.']);
          break;
        }
        for (const other of realm.playersIn(player.room, player))
          other.tell([`${player.name} leaves ${command.direction}.`]);
        player.room = target;
        vitals = afterWalking(vitals, command.direction);
        for (const other of realm.playersIn(player.room, player)) other.tell([`${player.name} arrives.`]);
        look(player);
        sendRoom(player);
        break;
      }
      case 'Say':
        if (command.text === '') {
          send(['Say what?']);
          break;
        }
        send([`You say: ${command.text}`]);
        for (const other of realm.playersIn(player.room, player)) other.tell([`${player.name} says: ${command.text}`]);
        break;
      case 'Who':
        send([
          realm.scope === undefined
            ? 'Players online:'
            : `Players online in ${realm.scope} (each worker lists its own):`,
          ...realm.everyone().map((other) => `  ${other.name} (${rooms.get(other.room)?.name ?? '?'})`),
        ]);
        break;
      case 'Help':
        send(helpText);
        break;
      case 'Quit':
        send(['Goodbye!']);
        phase = { _tag: 'Gone' };
        leaveGame(player, 'leaves the game.');
        connection.loseConnection();
        return;
      case 'Unknown':
        send([`Unknown command '${command.verb}'. Type help.`]);
        break;
    }
    sendVitals();
    gameprompt();
  };

  /** What follows the password check: the game, another try, or the door after MAX_LOGIN_ATTEMPTS. */
  const loggedIn =
    (name: string) =>
    (check: LoginCheck): void => {
      if (phase._tag !== 'Checking') return; // the connection closed meanwhile
      const { typedAhead } = phase;
      if (realm.isOnline(name)) {
        send([`${name} is already playing.`]);
        phase = { _tag: 'Name' };
        prompt('What is your name? ');
      } else if (check === 'WrongPassword') {
        wrongPasswords++;
        log(`wrong password for ${name} (${wrongPasswords} of ${MAX_LOGIN_ATTEMPTS})`);
        if (wrongPasswords >= MAX_LOGIN_ATTEMPTS) {
          send(['Wrong password. Too many attempts: goodbye.']);
          phase = { _tag: 'Gone' };
          connection.loseConnection();
          return;
        }
        send(['Wrong password.']);
        phase = { _tag: 'Name' };
        prompt('What is your name? ');
      } else {
        enterGame(name);
        gameprompt();
      }
      for (const line of typedAhead) onLine(line);
    };

  const onLine = (line: string): void => {
    switch (phase._tag) {
      case 'Name': {
        const name = playerName(line);
        if (line.trim() === '') {
          prompt('What is your name? ');
        } else if (name === undefined) {
          send(['Names are 2 to 16 letters.']);
          prompt('What is your name? ');
        } else if (realm.isOnline(name)) {
          send([`${name} is already playing.`]);
          prompt('What is your name? ');
        } else {
          phase = { _tag: 'Password', name };
          hidePassword();
          prompt(realm.hasAccount(name) ? 'Password: ' : `Welcome, ${name}! Choose a password: `);
        }
        break;
      }
      case 'Password': {
        const { name } = phase;
        if (line === '') {
          // A client that ends lines with CR NUL and CR LF both sends an empty line after each: ask again.
          prompt('Password: ');
          break;
        }
        showInput();
        send(['']);
        phase = { _tag: 'Checking', name, typedAhead: [] };
        realm.login(name, line).then(loggedIn(name), () => {
          connection.loseConnection();
        });
        break;
      }
      case 'Checking':
        phase.typedAhead.push(line);
        break;
      case 'Playing':
        play(phase.player, line);
        break;
      case 'Gone':
        break;
    }
  };

  // Incoming streams first: the connection is already reading.
  session.add(
    connection.events$.pipe(lines()).subscribe((line) => {
      if (line._tag === 'Line') onLine(line.text);
    }),
  );
  session.add(
    requestTerminalTypes(connection)
      .pipe(catchError(() => EMPTY))
      .subscribe((report) => {
        log(describeClient(report));
      }),
  );
  session.add(
    windowSizes(connection).subscribe((size) => {
      if (E.isRight(size)) log(`window ${size.right.width}x${size.right.height}`);
    }),
  );
  session.add(
    connection.subnegotiations$(TelnetOption.GMCP).subscribe((event) => {
      const message = decodeGmcp(event.payload);
      if (E.isLeft(message)) return;
      const { name, json } = message.right;
      log(json === undefined ? `GMCP ${name}` : `GMCP ${name} ${compactJson(json)}`);
    }),
  );
  session.add(serveMssp(connection, context.mssp).subscribe());
  // A watch rather than a subscription to closed$ (and none to compression$): an idle connection holds less.
  session.add(
    watchConnection(connection, {
      ended: (reason) => {
        if (phase._tag === 'Playing') leaveGame(phase.player, 'fades away.');
        phase = { _tag: 'Gone' };
        log(reason._tag === 'IdleTimeout' ? `disconnected: silent for ${reason.idleTimeout / 1000} s` : 'disconnected');
      },
    }),
  );

  const loginTimeout = context.loginTimeout ?? LOGIN_TIMEOUT;
  loginTimer = scheduler.schedule(() => {
    stopLoginTimer();
    if (phase._tag === 'Playing' || phase._tag === 'Gone') return;
    log('login timed out');
    send(['', `You took too long to log in (${Math.round(loginTimeout / 1000)} s): goodbye.`]);
    phase = { _tag: 'Gone' };
    connection.loseConnection();
  }, loginTimeout);
  session.add(loginTimer);

  log('connected');
  send(['Welcome to the rxtelnet demo MUD!', 'Try: look, north, say hello, who, quit.']);
  prompt('What is your name? ');
  for (const option of [TelnetOption.EOR, TelnetOption.GMCP, TelnetOption.MSSP])
    session.add(ask(connection.will(option)));
  for (const option of [TelnetOption.TTYPE, TelnetOption.NAWS]) session.add(ask(connection.do(option)));
  // Our output is compressed from our WILL MCCP2 agreed, or from the client's DO MCCP2 if it asked first.
  const compressing = (): void => {
    if (connection.isCompressing('output')) log('compressing output (MCCP2)');
  };
  session.add(connection.will(TelnetOption.MCCP2).subscribe({ next: compressing, error: compressing }));
  return session;
};

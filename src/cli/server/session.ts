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
 * One player's session: its state in fields and its steps as methods (a server holds thousands of sessions, and
 * a closure per step would cost each of them some 50 bytes).
 */
class Session {
  readonly session = new Subscription();
  private readonly realm: Realm;
  private readonly peer: string;
  private phase: Phase = { _tag: 'Name' };
  private wrongPasswords = 0;
  private vitals: Vitals = freshVitals;
  /** `WILL ECHO` while the password is typed: unsubscribing sends `WONT ECHO` (queued if still negotiating). */
  private hiding: Subscription | undefined;
  /** Until the login: closes a connection that takes too long. */
  private loginTimer: Subscription | undefined;
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly connection: TelnetConnection,
    private readonly context: SessionContext,
  ) {
    this.realm = context.realm;
    this.peer = `${connection.getPeer().address}:${connection.getPeer().port}`;
    this.scheduler = context.scheduler ?? asyncScheduler;
  }

  /** Subscribes the session's streams and timers, greets the player and negotiates; returns the session. */
  start(): Subscription {
    // Incoming streams first: the connection is already reading.
    this.session.add(
      this.connection.events$.pipe(lines()).subscribe((line) => {
        if (line._tag === 'Line') this.onLine(line.text);
      }),
    );
    this.session.add(
      requestTerminalTypes(this.connection)
        .pipe(catchError(() => EMPTY))
        .subscribe((report) => {
          this.log(describeClient(report));
        }),
    );
    this.session.add(
      windowSizes(this.connection).subscribe((size) => {
        if (E.isRight(size)) this.log(`window ${size.right.width}x${size.right.height}`);
      }),
    );
    this.session.add(
      this.connection.subnegotiations$(TelnetOption.GMCP).subscribe((event) => {
        const message = decodeGmcp(event.payload);
        if (E.isLeft(message)) return;
        const { name, json } = message.right;
        this.log(json === undefined ? `GMCP ${name}` : `GMCP ${name} ${compactJson(json)}`);
      }),
    );
    this.session.add(serveMssp(this.connection, this.context.mssp).subscribe());
    // A watch rather than a subscription to closed$ (and none to compression$): an idle connection holds less.
    this.session.add(
      watchConnection(this.connection, {
        ended: (reason) => {
          if (this.phase._tag === 'Playing') this.leaveGame(this.phase.player, 'fades away.');
          this.phase = { _tag: 'Gone' };
          this.log(
            reason._tag === 'IdleTimeout' ? `disconnected: silent for ${reason.idleTimeout / 1000} s` : 'disconnected',
          );
        },
      }),
    );

    const loginTimeout = this.context.loginTimeout ?? LOGIN_TIMEOUT;
    this.loginTimer = this.scheduler.schedule(() => {
      this.stopLoginTimer();
      if (this.phase._tag === 'Playing' || this.phase._tag === 'Gone') return;
      this.log('login timed out');
      this.send(['', `You took too long to log in (${Math.round(loginTimeout / 1000)} s): goodbye.`]);
      this.phase = { _tag: 'Gone' };
      this.connection.loseConnection();
    }, loginTimeout);
    this.session.add(this.loginTimer);

    this.log('connected');
    this.send(['Welcome to the rxtelnet demo MUD!', 'Try: look, north, say hello, who, quit.']);
    this.prompt('What is your name? ');
    for (const option of [TelnetOption.EOR, TelnetOption.GMCP, TelnetOption.MSSP])
      this.session.add(ask(this.connection.will(option)));
    for (const option of [TelnetOption.TTYPE, TelnetOption.NAWS]) this.session.add(ask(this.connection.do(option)));
    // Our output is compressed from our WILL MCCP2 agreed, or from the client's DO MCCP2 if it asked first.
    const compressing = (): void => {
      if (this.connection.isCompressing('output')) this.log('compressing output (MCCP2)');
    };
    this.session.add(this.connection.will(TelnetOption.MCCP2).subscribe({ next: compressing, error: compressing }));
    return this.session;
  }

  private log(line: string): void {
    this.context.log(`[${this.peer}] ${safeLine(line)}`);
  }

  private stopLoginTimer(): void {
    if (this.loginTimer !== undefined) this.session.remove(this.loginTimer);
    this.loginTimer?.unsubscribe();
    this.loginTimer = undefined;
  }

  private send(text: readonly string[]): void {
    this.connection.write(text.map((line) => `${line}${CRLF}`).join(''));
  }
  private prompt(text: string): void {
    sendPrompt(this.connection, text);
  }
  private gameprompt(): void {
    this.prompt(`[${this.vitals.hp}/${this.vitals.maxhp}hp ${this.vitals.mp}/${this.vitals.maxmp}mp] > `);
  }
  private gmcp(name: string, json: unknown): void {
    sendGmcp(this.connection, name, json);
  }
  private sendVitals(): void {
    this.gmcp('Char.Vitals', this.vitals);
  }
  private sendRoom(player: Player): void {
    const room = rooms.get(player.room);
    if (room !== undefined) this.gmcp('Room.Info', { num: roomNumber(room.id), name: room.name, exits: room.exits });
  }
  private look(player: Player): void {
    const room = rooms.get(player.room);
    if (room === undefined) return;
    this.send(
      describeRoom(
        room,
        this.realm.playersIn(room.id, player).map((other) => other.name),
      ),
    );
  }
  private hidePassword(): void {
    this.hiding = hideInput(this.connection)
      .pipe(catchError(() => EMPTY))
      .subscribe();
    this.session.add(this.hiding);
  }
  private showInput(): void {
    if (this.hiding !== undefined) this.session.remove(this.hiding);
    this.hiding?.unsubscribe();
    this.hiding = undefined;
  }

  private enterGame(name: string): void {
    const player: Player = {
      name,
      room: START_ROOM,
      tell: (text) => {
        this.send(['', ...text]);
        this.gameprompt();
      },
    };
    this.phase = { _tag: 'Playing', player };
    this.stopLoginTimer();
    const tick = (action: SchedulerAction<undefined>): void => {
      if (this.phase._tag !== 'Playing') return;
      this.vitals = regenerate(this.vitals);
      this.sendVitals();
      action.schedule(undefined, this.context.tickInterval);
    };
    this.session.add(
      asyncScheduler.schedule(function (this: SchedulerAction<undefined>) {
        tick(this);
      }, this.context.tickInterval),
    );
    this.realm.enter(player);
    this.log(`${name} entered the game`);
    for (const other of this.realm.playersIn(player.room, player)) other.tell([`${name} arrives.`]);
    this.look(player);
    this.sendVitals();
    this.sendRoom(player);
  }

  private leaveGame(player: Player, farewell: string): void {
    this.realm.leave(player);
    this.log(`${player.name} left the game`);
    for (const other of this.realm.playersIn(player.room)) other.tell([`${player.name} ${farewell}`]);
  }

  private play(player: Player, line: string): void {
    const command = parseCommand(line);
    switch (command._tag) {
      case 'Empty':
        break;
      case 'Look':
        this.look(player);
        break;
      case 'Go': {
        const target = rooms.get(player.room)?.exits[command.direction];
        if (target === undefined) {
          this.send(['You cannot go that way.']);
          break;
        }
        for (const other of this.realm.playersIn(player.room, player))
          other.tell([`${player.name} leaves ${command.direction}.`]);
        player.room = target;
        this.vitals = afterWalking(this.vitals, command.direction);
        for (const other of this.realm.playersIn(player.room, player)) other.tell([`${player.name} arrives.`]);
        this.look(player);
        this.sendRoom(player);
        break;
      }
      case 'Say':
        if (command.text === '') {
          this.send(['Say what?']);
          break;
        }
        this.send([`You say: ${command.text}`]);
        for (const other of this.realm.playersIn(player.room, player))
          other.tell([`${player.name} says: ${command.text}`]);
        break;
      case 'Who':
        this.send([
          this.realm.scope === undefined
            ? 'Players online:'
            : `Players online in ${this.realm.scope} (each worker lists its own):`,
          ...this.realm.everyone().map((other) => `  ${other.name} (${rooms.get(other.room)?.name ?? '?'})`),
        ]);
        break;
      case 'Help':
        this.send(helpText);
        break;
      case 'Quit':
        this.send(['Goodbye!']);
        this.phase = { _tag: 'Gone' };
        this.leaveGame(player, 'leaves the game.');
        this.connection.loseConnection();
        return;
      case 'Unknown':
        this.send([`Unknown command '${command.verb}'. Type help.`]);
        break;
    }
    this.sendVitals();
    this.gameprompt();
  }

  /** What follows the password check: the game, another try, or the door after MAX_LOGIN_ATTEMPTS. */
  private loggedIn(name: string, check: LoginCheck): void {
    if (this.phase._tag !== 'Checking') return; // the connection closed meanwhile
    const { typedAhead } = this.phase;
    if (this.realm.isOnline(name)) {
      this.send([`${name} is already playing.`]);
      this.phase = { _tag: 'Name' };
      this.prompt('What is your name? ');
    } else if (check === 'WrongPassword') {
      this.wrongPasswords++;
      this.log(`wrong password for ${name} (${this.wrongPasswords} of ${MAX_LOGIN_ATTEMPTS})`);
      if (this.wrongPasswords >= MAX_LOGIN_ATTEMPTS) {
        this.send(['Wrong password. Too many attempts: goodbye.']);
        this.phase = { _tag: 'Gone' };
        this.connection.loseConnection();
        return;
      }
      this.send(['Wrong password.']);
      this.phase = { _tag: 'Name' };
      this.prompt('What is your name? ');
    } else {
      this.enterGame(name);
      this.gameprompt();
    }
    for (const line of typedAhead) this.onLine(line);
  }

  private onLine(line: string): void {
    switch (this.phase._tag) {
      case 'Name': {
        const name = playerName(line);
        if (line.trim() === '') {
          this.prompt('What is your name? ');
        } else if (name === undefined) {
          this.send(['Names are 2 to 16 letters.']);
          this.prompt('What is your name? ');
        } else if (this.realm.isOnline(name)) {
          this.send([`${name} is already playing.`]);
          this.prompt('What is your name? ');
        } else {
          this.phase = { _tag: 'Password', name };
          this.hidePassword();
          this.prompt(this.realm.hasAccount(name) ? 'Password: ' : `Welcome, ${name}! Choose a password: `);
        }
        break;
      }
      case 'Password': {
        const { name } = this.phase;
        if (line === '') {
          // A client that ends lines with CR NUL and CR LF both sends an empty line after each: ask again.
          this.prompt('Password: ');
          break;
        }
        this.showInput();
        this.send(['']);
        this.phase = { _tag: 'Checking', name, typedAhead: [] };
        this.realm.login(name, line).then(
          (check) => {
            this.loggedIn(name, check);
          },
          () => {
            this.connection.loseConnection();
          },
        );
        break;
      }
      case 'Checking':
        this.phase.typedAhead.push(line);
        break;
      case 'Playing':
        this.play(this.phase.player, line);
        break;
      case 'Gone':
        break;
    }
  }
}

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
export const startSession = (connection: TelnetConnection, context: SessionContext): Subscription =>
  new Session(connection, context).start();

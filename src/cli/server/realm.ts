/**
 * The demo MUD's shared state: the accounts created so far and the players online. One realm per server.
 *
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** A player in the game, as the other sessions see them. */
export interface Player {
  readonly name: string;
  /** The id of the room the player is in. */
  room: string;
  /** Shows lines to the player, between their own prompts. */
  readonly tell: (lines: readonly string[]) => void;
}

/** The answer to a login attempt. */
export type LoginCheck = 'NewAccount' | 'Accepted' | 'WrongPassword';

interface Account {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** scrypt on libuv's thread pool (about 34 ms each here): the event loop, and every other client, goes on meanwhile. */
const hashPassword = (password: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, 32, (error, hash) => {
      if (error === null) resolve(hash);
      else reject(error);
    });
  });

const matches = async (account: Account, password: string): Promise<boolean> =>
  timingSafeEqual(account.hash, await hashPassword(password, account.salt));

/** Accounts (name and salted scrypt hash of the password, in memory only) and the players online. */
export class Realm {
  /** When the server started (ms since the epoch), for MSSP's UPTIME. */
  readonly started = Date.now();
  private readonly accounts = new Map<string, Account>();
  private readonly online = new Map<string, Player>();

  /** `scope`: whose players this realm holds when it is one of several (`'worker 2 of 4'`); absent: everyone's. */
  constructor(readonly scope?: string) {}

  /** Whether `name` has an account already. */
  hasAccount(name: string): boolean {
    return this.accounts.has(name);
  }

  /**
   * Checks `password` for `name`, creating the account with it when there is none. Asynchronous: another
   * session may create the same account meanwhile, and then the password is checked against that one.
   */
  async login(name: string, password: string): Promise<LoginCheck> {
    const account = this.accounts.get(name);
    if (account !== undefined) return (await matches(account, password)) ? 'Accepted' : 'WrongPassword';
    const salt = randomBytes(16);
    const hash = await hashPassword(password, salt);
    const created = this.accounts.get(name);
    if (created !== undefined) return (await matches(created, password)) ? 'Accepted' : 'WrongPassword';
    this.accounts.set(name, { salt, hash });
    return 'NewAccount';
  }

  /** Whether a player of that name is in the game. */
  isOnline(name: string): boolean {
    return this.online.has(name);
  }

  /** Puts `player` in the game. */
  enter(player: Player): void {
    this.online.set(player.name, player);
  }

  /** Takes `player` out of the game. */
  leave(player: Player): void {
    if (this.online.get(player.name) === player) this.online.delete(player.name);
  }

  /** The players in `room`, but `except`. */
  playersIn(room: string, except?: Player): readonly Player[] {
    return [...this.online.values()].filter((player) => player.room === room && player !== except);
  }

  /** Everyone online, by name. */
  everyone(): readonly Player[] {
    return [...this.online.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * The demo MUD's world: a handful of rooms and the commands players type, as plain data and pure functions.
 *
 * @module
 */

/** A direction of travel. */
export type Direction = 'north' | 'south' | 'east' | 'west' | 'up' | 'down';

/** One room: what `look` shows and where its exits lead (room ids). */
export interface Room {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly exits: Readonly<Partial<Record<Direction, string>>>;
}

/** The rooms of the demo world, by id. */
export const rooms: ReadonlyMap<string, Room> = new Map(
  [
    {
      id: 'square',
      name: 'Town Square',
      description: 'Cobblestones ring an old fountain. A tavern lies to the north, the market to the east.',
      exits: { north: 'tavern', east: 'market', down: 'cellar' },
    },
    {
      id: 'tavern',
      name: 'The Negotiating Goat',
      description: 'A warm tavern. Someone has carved "IAC DO ECHO" into the bar.',
      exits: { south: 'square', up: 'loft' },
    },
    {
      id: 'loft',
      name: 'Tavern Loft',
      description: 'Dusty beds under a low roof. Through a window you see the whole town.',
      exits: { down: 'tavern' },
    },
    {
      id: 'market',
      name: 'Market',
      description: 'Stalls sell compressed bread (MCCP2, one loaf inflates to ten).',
      exits: { west: 'square' },
    },
    {
      id: 'cellar',
      name: 'Damp Cellar',
      description: 'Water drips from the ceiling. The stairs lead back up.',
      exits: { up: 'square' },
    },
  ].map((room: Room) => [room.id, room]),
);

/** Where new players appear. */
export const START_ROOM = 'square';

/**
 * The GMCP room number of a room (its position in {@link rooms}, from 1).
 *
 * @example
 * ```text
 * roomNumber(START_ROOM); // 1
 * ```
 */
export const roomNumber = (id: string): number => [...rooms.keys()].indexOf(id) + 1;

/** A command a player typed. */
export type PlayerCommand =
  | { readonly _tag: 'Empty' }
  | { readonly _tag: 'Look' }
  | { readonly _tag: 'Go'; readonly direction: Direction }
  | { readonly _tag: 'Say'; readonly text: string }
  | { readonly _tag: 'Who' }
  | { readonly _tag: 'Help' }
  | { readonly _tag: 'Quit' }
  | { readonly _tag: 'Unknown'; readonly verb: string };

const directions: ReadonlyMap<string, Direction> = new Map([
  ['n', 'north'],
  ['s', 'south'],
  ['e', 'east'],
  ['w', 'west'],
  ['u', 'up'],
  ['d', 'down'],
  ['north', 'north'],
  ['south', 'south'],
  ['east', 'east'],
  ['west', 'west'],
  ['up', 'up'],
  ['down', 'down'],
]);

/**
 * Reads one typed line: `look`/`l`, a direction or `go DIRECTION`, `say TEXT` or `'TEXT`, `who`, `help`, `quit`.
 *
 * @example
 * ```text
 * parseCommand('n');          // { _tag: 'Go', direction: 'north' }
 * parseCommand("'hi there");  // { _tag: 'Say', text: 'hi there' }
 * ```
 */
export const parseCommand = (line: string): PlayerCommand => {
  const text = line.trim();
  if (text === '') return { _tag: 'Empty' };
  if (text.startsWith("'")) return { _tag: 'Say', text: text.slice(1).trim() };
  const space = text.indexOf(' ');
  const verb = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : text.slice(space + 1).trim();
  const direction = directions.get(verb === 'go' ? rest.toLowerCase() : verb);
  if (direction !== undefined && (verb === 'go' || rest === '')) return { _tag: 'Go', direction };
  switch (verb) {
    case 'look':
    case 'l':
      return { _tag: 'Look' };
    case 'say':
      return { _tag: 'Say', text: rest };
    case 'who':
      return { _tag: 'Who' };
    case 'help':
    case '?':
      return { _tag: 'Help' };
    case 'quit':
    case 'exit':
      return { _tag: 'Quit' };
    default:
      return { _tag: 'Unknown', verb };
  }
};

/**
 * What `look` shows: the name, the description, the exits and who else is here.
 *
 * @example
 * ```text
 * describeRoom(rooms.get('square')!, ['Bob']);
 * // ['Town Square', 'Cobblestones ...', 'Exits: north east down', 'Bob is here.']
 * ```
 */
export const describeRoom = (room: Room, others: readonly string[]): readonly string[] => {
  const exits = Object.keys(room.exits);
  const company = others.length === 0 ? [] : [`${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} here.`];
  return [room.name, room.description, `Exits: ${exits.length === 0 ? 'none' : exits.join(' ')}`, ...company];
};

/** The commands `help` lists. */
export const helpText: readonly string[] = [
  "Commands: look (l), north south east west up down (n s e w u d), say TEXT (or 'TEXT), who, quit",
];

/**
 * A player name as typed, checked and capitalised: 2 to 16 letters; `undefined` otherwise.
 *
 * @example
 * ```text
 * playerName(' ada ');  // 'Ada'
 * playerName('x1');     // undefined
 * ```
 */
export const playerName = (typed: string): string | undefined => {
  const name = typed.trim();
  return /^[A-Za-z]{2,16}$/.test(name) ? `${name.charAt(0).toUpperCase()}${name.slice(1).toLowerCase()}` : undefined;
};

/** A player's vital statistics, sent as GMCP `Char.Vitals`. */
export interface Vitals {
  readonly hp: number;
  readonly maxhp: number;
  readonly mp: number;
  readonly maxmp: number;
}

/** A new player's vitals. */
export const freshVitals: Vitals = { hp: 20, maxhp: 20, mp: 10, maxmp: 10 };

/**
 * Vitals after one regeneration tick: one point of each back, up to the maximum.
 *
 * @example
 * ```text
 * regenerate({ hp: 19, maxhp: 20, mp: 10, maxmp: 10 }); // { hp: 20, maxhp: 20, mp: 10, maxmp: 10 }
 * ```
 */
export const regenerate = (vitals: Vitals): Vitals => ({
  ...vitals,
  hp: Math.min(vitals.maxhp, vitals.hp + 1),
  mp: Math.min(vitals.maxmp, vitals.mp + 1),
});

/**
 * Vitals after walking through an exit: one movement point, and a bruise on the way down.
 *
 * @example
 * ```text
 * afterWalking(freshVitals, 'down'); // { hp: 19, maxhp: 20, mp: 9, maxmp: 10 }
 * ```
 */
export const afterWalking = (vitals: Vitals, direction: Direction): Vitals => ({
  ...vitals,
  mp: Math.max(0, vitals.mp - 1),
  hp: direction === 'down' ? Math.max(1, vitals.hp - 1) : vitals.hp,
});

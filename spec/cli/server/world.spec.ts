import { describe, expect, it } from 'vitest';
import {
  afterWalking,
  describeRoom,
  freshVitals,
  parseCommand,
  playerName,
  regenerate,
  roomNumber,
  rooms,
  START_ROOM,
} from '../../../src/cli/server/world.js';

describe('the demo world', () => {
  it('has exits that lead to rooms that lead back', () => {
    const opposite = { north: 'south', south: 'north', east: 'west', west: 'east', up: 'down', down: 'up' } as const;
    expect(rooms.has(START_ROOM)).toBe(true);
    for (const room of rooms.values()) {
      for (const [direction, target] of Object.entries(room.exits) as [keyof typeof opposite, string][]) {
        expect(rooms.get(target)?.exits[opposite[direction]]).toBe(room.id);
      }
    }
    expect(roomNumber(START_ROOM)).toBe(1);
  });

  it.each([
    ['', { _tag: 'Empty' }],
    ['  look ', { _tag: 'Look' }],
    ['L', { _tag: 'Look' }],
    ['n', { _tag: 'Go', direction: 'north' }],
    ['South', { _tag: 'Go', direction: 'south' }],
    ['go up', { _tag: 'Go', direction: 'up' }],
    ['say hello there', { _tag: 'Say', text: 'hello there' }],
    ["'hi", { _tag: 'Say', text: 'hi' }],
    ['who', { _tag: 'Who' }],
    ['help', { _tag: 'Help' }],
    ['quit', { _tag: 'Quit' }],
    ['north pole', { _tag: 'Unknown', verb: 'north' }],
    ['dance', { _tag: 'Unknown', verb: 'dance' }],
  ])('parses %j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });

  it('describes a room with its exits and company', () => {
    const square = rooms.get(START_ROOM)!;
    expect(describeRoom(square, [])).toEqual([square.name, square.description, 'Exits: north east down']);
    expect(describeRoom(square, ['Bob']).at(-1)).toBe('Bob is here.');
    expect(describeRoom(square, ['Bob', 'Cy']).at(-1)).toBe('Bob, Cy are here.');
  });

  it('checks and capitalises names', () => {
    expect(playerName(' aDA ')).toBe('Ada');
    expect(playerName('x')).toBeUndefined();
    expect(playerName('Bob1')).toBeUndefined();
    expect(playerName('a'.repeat(17))).toBeUndefined();
  });

  it('wears and regenerates vitals within bounds', () => {
    const tired = afterWalking(afterWalking(freshVitals, 'down'), 'north');
    expect(tired).toEqual({ hp: 19, maxhp: 20, mp: 8, maxmp: 10 });
    expect(regenerate(regenerate(tired))).toEqual({ hp: 20, maxhp: 20, mp: 10, maxmp: 10 });
    expect(afterWalking({ hp: 1, maxhp: 20, mp: 0, maxmp: 10 }, 'down')).toEqual({
      hp: 1,
      maxhp: 20,
      mp: 0,
      maxmp: 10,
    });
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startKeyboard } from '../../src/cli/keyboard.js';
import type { KeyboardInput } from '../../src/cli/keyboard.js';

class FakeStdin extends EventEmitter implements KeyboardInput {
  readonly modes: boolean[] = [];
  paused = true;
  constructor(readonly isTTY: boolean) {
    super();
  }
  setRawMode(mode: boolean): this {
    this.modes.push(mode);
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  type(text: string): void {
    this.emit('data', Buffer.from(text, 'utf8'));
  }
}

const setup = (isTTY: boolean, quitOn = 'quit') => {
  const input = new FakeStdin(isTTY);
  const sent: string[] = [];
  const shown: string[] = [];
  const commands: string[] = [];
  let ended = 0;
  const keyboard = startKeyboard({
    input,
    send: (bytes) => sent.push(Buffer.from(bytes).toString('utf8')),
    show: (text) => shown.push(text),
    command: (line) => {
      commands.push(line);
      return line.trim() === quitOn;
    },
    end: () => {
      ended++;
    },
  });
  return { input, keyboard, sent, shown, commands, ended: () => ended };
};

describe('startKeyboard', () => {
  it('sends piped input as it comes, escape character included, and reports its end', () => {
    const { input, sent, commands, ended } = setup(false);
    expect(input.paused).toBe(false);
    input.type('look\n\x1dquit\n');
    input.emit('end');
    expect(sent).toEqual(['look\n\x1dquit\n']);
    expect(commands).toEqual([]);
    expect(ended()).toBe(1);
    expect(input.modes).toEqual([]);
  });

  it('switches a terminal to raw mode while the server echoes', () => {
    const { input, keyboard } = setup(true);
    keyboard.setRemoteEcho(true);
    keyboard.setRemoteEcho(false);
    expect(input.modes).toEqual([true, false]);
  });

  it('in line mode, runs the command typed after Ctrl-] on the same line', () => {
    const { input, sent, commands } = setup(true);
    input.type('say hi\n');
    input.type('\x1dquit\n');
    expect(sent).toEqual(['say hi\n']);
    expect(commands).toEqual(['quit']);
  });

  it('in line mode, shows the prompt after Ctrl-] Enter and takes the next line as the command', () => {
    const { input, sent, shown, commands } = setup(true);
    input.type('\x1d\n');
    expect(shown).toEqual(['\r\nrxtelnet> ']);
    input.type('status\n');
    input.type('look\n');
    expect(commands).toEqual(['status']);
    expect(sent).toEqual(['look\n']);
  });

  it('in raw mode, sends what precedes Ctrl-], prompts in cooked mode, then goes back to raw', () => {
    const { input, keyboard, sent, shown, commands } = setup(true);
    keyboard.setRemoteEcho(true);
    input.type('ab\x1d');
    expect(sent).toEqual(['ab']);
    expect(shown).toEqual(['\r\nrxtelnet> ']);
    expect(input.modes).toEqual([true, false]);
    input.type('help\r\n');
    expect(commands).toEqual(['help']);
    expect(input.modes).toEqual([true, false, true]);
    input.type('x');
    expect(sent).toEqual(['ab', 'x']);
  });

  it('stays stopped after a quitting command and restores cooked mode on stop', () => {
    const { input, keyboard, sent, commands } = setup(true);
    keyboard.setRemoteEcho(true);
    input.type('\x1d');
    input.type('quit\n');
    keyboard.stop();
    input.type('more');
    expect(commands).toEqual(['quit']);
    expect(sent).toEqual([]);
    expect(input.modes.at(-1)).toBe(false);
    expect(input.paused).toBe(true);
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ESCAPE_PROMPT, startKeyboard } from '../../src/cli/keyboard.js';
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
  /** What the keyboard asked the screen for, in order. */
  const screen: string[] = [];
  const commands: string[] = [];
  let ended = 0;
  let interrupted = 0;
  const keyboard = startKeyboard({
    input,
    send: (bytes) => sent.push(Buffer.from(bytes).toString('utf8')),
    screen: {
      output: (text) => screen.push(`output ${String(text)}`),
      typed: (text) => screen.push(`typed ${text}`),
      submit: () => screen.push('submit'),
      prompt: (prompt) => screen.push(`prompt ${String(prompt)}`),
    },
    command: (line) => {
      commands.push(line);
      return line.trim() === quitOn;
    },
    end: () => {
      ended++;
    },
    interrupt: () => {
      interrupted++;
    },
  });
  return { input, keyboard, sent, screen, commands, ended: () => ended, interrupted: () => interrupted };
};

describe('startKeyboard', () => {
  it('sends piped input as it comes, escape character included, and reports its end', () => {
    const { input, sent, commands, ended, screen } = setup(false);
    expect(input.paused).toBe(false);
    input.type('look\n\x1dquit\n');
    input.emit('end');
    expect(sent).toEqual(['look\n\x1dquit\n']);
    expect(commands).toEqual([]);
    expect(ended()).toBe(1);
    expect(input.modes).toEqual([]);
    expect(screen).toEqual([]);
  });

  it('on a terminal, reads raw and edits the line itself, echoing it to the screen', () => {
    const { input, sent, screen } = setup(true);
    expect(input.modes).toEqual([true]);
    input.type('lp');
    input.type('\x7fook');
    expect(sent).toEqual([]);
    input.type('\r');
    expect(sent).toEqual(['look\n']);
    expect(screen).toEqual(['typed lp', 'typed look', 'typed look', 'submit']);
  });

  it('sends each keystroke while the server echoes, and drops a half-typed line when it starts', () => {
    const { input, keyboard, sent, screen } = setup(true);
    input.type('ab');
    keyboard.setRemoteEcho(true);
    expect(screen.at(-1)).toBe('typed ');
    input.type('s3cr\x03t');
    expect(sent).toEqual(['s3cr\x03t']);
    keyboard.setRemoteEcho(false);
    input.type('x\r');
    expect(sent).toEqual(['s3cr\x03t', 'x\n']);
    expect(input.modes).toEqual([true]);
  });

  it('runs the command typed after Ctrl-], then gives the session line back', () => {
    const { input, sent, commands, screen } = setup(true);
    input.type('say hi\r');
    input.type('lo\x1dstatus\r');
    expect(commands).toEqual(['status']);
    // The screen redraws the session's line (its prompt and 'lo') when the escape prompt goes.
    expect(screen.slice(-5)).toEqual([
      'typed lo',
      `prompt ${ESCAPE_PROMPT}`,
      'typed status',
      'submit',
      'prompt undefined',
    ]);
    input.type('ok\r');
    expect(sent).toEqual(['say hi\n', 'look\n']);
  });

  it('in character mode, sends what precedes Ctrl-], prompts, then goes back to character mode', () => {
    const { input, keyboard, sent, screen, commands } = setup(true);
    keyboard.setRemoteEcho(true);
    input.type('ab\x1d');
    expect(sent).toEqual(['ab']);
    expect(screen).toEqual([`prompt ${ESCAPE_PROMPT}`]);
    input.type('help\r');
    expect(commands).toEqual(['help']);
    input.type('x');
    expect(sent).toEqual(['ab', 'x']);
  });

  it('leaves the escape prompt on an empty line, Ctrl-] or Ctrl-C without running anything', () => {
    const { input, commands, sent } = setup(true, 'never');
    input.type('\x1d\r');
    input.type('\x1d\x1d');
    input.type('\x1dsta\x03');
    expect(commands).toEqual(['']);
    input.type('go\r');
    expect(sent).toEqual(['go\n']);
  });

  it('ends the input on Ctrl-D on an empty line, and the session on Ctrl-C in line mode', () => {
    const { input, ended, interrupted, sent } = setup(true);
    input.type('a\x04');
    expect(ended()).toBe(0);
    input.type('\x15\x04');
    expect(ended()).toBe(1);
    input.type('x\x03more\r');
    expect(interrupted()).toBe(1);
    expect(sent).toEqual([]);
    expect(input.modes.at(-1)).toBe(false);
  });

  it('stays stopped after a quitting command and restores cooked mode on stop', () => {
    const { input, keyboard, sent, commands } = setup(true);
    keyboard.setRemoteEcho(true);
    input.type('\x1d');
    input.type('quit\r');
    keyboard.stop();
    input.type('more');
    expect(commands).toEqual(['quit']);
    expect(sent).toEqual([]);
    expect(input.modes.at(-1)).toBe(false);
    expect(input.paused).toBe(true);
  });
});

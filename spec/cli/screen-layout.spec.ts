import { describe, expect, it } from 'vitest';
import {
  emptyScreen,
  MAX_KEPT_LINE,
  paintOutput,
  paintSubmit,
  paintTrace,
  paintTyped,
  visibleWidth,
} from '../../src/cli/screen-layout.js';
import type { ScreenState } from '../../src/cli/screen-layout.js';

const geometry = { columns: 80, colour: true };
const plain = { columns: 80, colour: false };
const dim = (line: string): string => `\u001b[2m${line}\u001b[22m\n`;
const on = (line: string, typed = ''): ScreenState => ({ line, lineLost: false, typed });

describe('paintTrace', () => {
  it('prints a dimmed line at once when the cursor is at the start of a line', () => {
    expect(paintTrace(emptyScreen, ['<< DO NAWS', '>> SB NAWS 80x24'], geometry)).toEqual({
      state: emptyScreen,
      text: `${dim('<< DO NAWS')}${dim('>> SB NAWS 80x24')}`,
    });
    expect(paintTrace(emptyScreen, ['<< GA'], plain).text).toBe('<< GA\n');
  });

  it('never glues onto a prompt: clears the line, traces, and redraws the prompt', () => {
    const state = on('Choose a password: ');
    expect(paintTrace(state, ['<< EOR'], geometry)).toEqual({
      state,
      text: `\r\u001b[K${dim('<< EOR')}Choose a password: `,
    });
  });

  it('never lands inside the typed line: redraws the prompt and the half-typed input after the trace', () => {
    const state = on('> ', 'say hel');
    expect(paintTrace(state, ['<< SB GMCP Char.Vitals {"hp":20}'], plain).text).toBe(
      '\r\u001b[K<< SB GMCP Char.Vitals {"hp":20}\n> say hel',
    );
  });

  it('starts a new line for a line that wrapped (one erase would not clear it), and redraws it below', () => {
    const state = on('x'.repeat(70), 'y'.repeat(10));
    expect(paintTrace(state, ['<< GA'], plain).text).toBe(`\r\n<< GA\n${'x'.repeat(70)}${'y'.repeat(10)}`);
  });

  it('measures the line without its colour codes', () => {
    expect(visibleWidth('\u001b[1;31mHP:\u001b[0m 20 \u001b]0;title\u0007>')).toBe(8);
    const coloured = on(`\u001b[31m${'x'.repeat(70)}\u001b[0m> `);
    expect(paintTrace(coloured, ['<< GA'], plain).text.startsWith('\r\u001b[K')).toBe(true);
  });
});

describe('paintOutput', () => {
  it('writes server text as it is and follows the line it leaves', () => {
    const first = paintOutput(emptyScreen, 'Welcome!\r\nName: ', geometry);
    expect(first).toEqual({ state: on('Name: '), text: 'Welcome!\r\nName: ' });
    expect(paintOutput(first.state, 'more\n', geometry).state).toEqual(emptyScreen);
    expect(paintOutput(on('HP '), '20> ', geometry).state).toEqual(on('HP 20> '));
  });

  it('moves the half-typed input after text that arrives while the user types', () => {
    expect(paintOutput(on('> ', 'nor'), 'Bob says: hi\r\n> ', geometry)).toEqual({
      state: on('> ', 'nor'),
      text: '\r\u001b[K> Bob says: hi\r\n> nor',
    });
  });

  it('forgets a line too long to keep, and then does not redraw it', () => {
    const long = paintOutput(emptyScreen, 'z'.repeat(MAX_KEPT_LINE + 1), geometry).state;
    expect(long).toEqual({ line: '', lineLost: true, typed: '' });
    expect(paintTrace(long, ['<< GA'], plain).text).toBe('\r\n<< GA\n');
    expect(paintOutput(long, 'still\r\n', geometry).state).toEqual(emptyScreen);
  });
});

describe('paintTyped and paintSubmit', () => {
  it('appends what is typed and rubs out what is deleted', () => {
    expect(paintTyped(on('> ', 'lo'), 'loo', geometry)).toEqual({ state: on('> ', 'loo'), text: 'o' });
    expect(paintTyped(on('> ', 'look'), 'lo', geometry)).toEqual({ state: on('> ', 'lo'), text: '\b \b\b \b' });
    expect(paintTyped(on('> ', 'look'), 'say', geometry)).toEqual({ state: on('> ', 'say'), text: '\r\u001b[K> say' });
  });

  it('keeps the submitted line on screen and starts a new one', () => {
    expect(paintSubmit()).toEqual({ state: emptyScreen, text: '\r\n' });
  });
});

import { describe, expect, it } from 'vitest';
import { editLine, emptyEditor } from '../../src/cli/line-editor.js';
import type { EditorState } from '../../src/cli/line-editor.js';

const typing = (line: string): EditorState => ({ ...emptyEditor, line });

describe('editLine', () => {
  it('inserts text and rubs out characters, words and the line', () => {
    expect(editLine(emptyEditor, 'lookk\x7f').state.line).toBe('look');
    expect(editLine(emptyEditor, 'say héllo 👋\x7f\x7f\b').state.line).toBe('say héll');
    expect(editLine(typing('say hello  '), '\x17').state.line).toBe('say ');
    expect(editLine(typing('say hello'), '\x15x').state.line).toBe('x');
  });

  it('submits on Enter and hands back the rest, a CR LF counting as one Enter', () => {
    const first = editLine(emptyEditor, 'look\r');
    expect(first.action).toEqual({ _tag: 'Submit', line: 'look' });
    const second = editLine(first.state, '\nnorth\n');
    expect(second.action).toEqual({ _tag: 'Submit', line: 'north' });
    expect(editLine(emptyEditor, 'a\rb').rest).toBe('b');
  });

  it('ignores escape sequences (arrow and function keys) and other controls, also when split', () => {
    expect(editLine(emptyEditor, 'a\x1b[A\x1b[1;5Cb\x1bOPc\x07\x01d').state.line).toBe('abcd');
    const split = editLine(emptyEditor, 'a\x1b[');
    expect(editLine(split.state, '15~b').state.line).toBe('ab');
  });

  it('reports Ctrl-], Ctrl-C and Ctrl-D on an empty line', () => {
    expect(editLine(typing('lo'), '\x1dquit')).toEqual({
      state: typing('lo'),
      action: { _tag: 'Escape' },
      rest: 'quit',
    });
    expect(editLine(typing('lo'), '\x03').action).toEqual({ _tag: 'Interrupt' });
    expect(editLine(typing('lo'), '\x04').action).toBeUndefined();
    expect(editLine(emptyEditor, '\x04').action).toEqual({ _tag: 'EndOfInput' });
  });
});

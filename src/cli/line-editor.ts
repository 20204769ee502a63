/**
 * The client's own line editing, pure: on a terminal the client reads keys in raw mode and echoes the line itself,
 * so that it knows what is typed and can redraw it around trace lines (the kernel's cooked mode would hide it).
 *
 * Keys: printable text inserts at the end; Backspace/DEL and Ctrl-H rub out a character, Ctrl-W a word, Ctrl-U the
 * line; Enter (CR or LF, CR LF counting once) submits; Ctrl-D on an empty line ends the input; Ctrl-C
 * interrupts; Ctrl-] is the escape character; escape sequences (arrows, function keys) and other controls are
 * ignored.
 *
 * @module
 */

/** What a key did besides editing the line. */
export type EditorAction =
  | { readonly _tag: 'Submit'; readonly line: string }
  | { readonly _tag: 'Escape' }
  | { readonly _tag: 'EndOfInput' }
  | { readonly _tag: 'Interrupt' };

/** The line being edited and what the last key left pending (an escape sequence, a CR whose LF is skipped). */
export interface EditorState {
  readonly line: string;
  /** Inside an escape sequence: the characters read so far, from ESC. */
  readonly sequence: string;
  /** The last character was CR: a LF right after it is part of the same Enter. */
  readonly afterCr: boolean;
}

/** Nothing typed. */
export const emptyEditor: EditorState = { line: '', sequence: '', afterCr: false };

/** The state after the input up to the first key that did more than edit, that key's action, and the rest. */
export interface Edited {
  readonly state: EditorState;
  readonly action: EditorAction | undefined;
  /** The input after the key of `action`, not read yet (the mode it was typed for may change). */
  readonly rest: string;
}

/** Whether an escape sequence read so far (from ESC) is complete: CSI and SS3 end at a final byte. */
const sequenceEnded = (sequence: string): boolean => {
  if (sequence.length < 2) return false;
  const kind = sequence[1];
  if (kind === '[') return sequence.length > 2 && /[@-~]/.test(sequence.at(-1) ?? '');
  if (kind === 'O') return sequence.length > 2;
  return true;
};

const dropLastCharacter = (line: string): string => Array.from(line).slice(0, -1).join('');
const dropLastWord = (line: string): string => line.replace(/\S*\s*$/u, '');

/**
 * Applies `input` to the line up to the first key with an action ({@link Edited.rest} is what follows it).
 *
 * @example
 * ```text
 * editLine(emptyEditor, 'lookx\x7f\rnorth');
 * // { state: { line: '', ... }, action: { _tag: 'Submit', line: 'look' }, rest: 'north' }
 * ```
 */
export const editLine = (state: EditorState, input: string): Edited => {
  let { line, sequence, afterCr } = state;
  const characters = Array.from(input);
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] ?? '';
    const crBefore = afterCr;
    afterCr = false;
    const acted = (action: EditorAction, after: string): Edited => ({
      state: { line: after, sequence: '', afterCr },
      action,
      rest: characters.slice(index + 1).join(''),
    });
    if (sequence !== '') {
      sequence += character;
      if (sequenceEnded(sequence)) sequence = '';
      continue;
    }
    switch (character) {
      case '\u001b':
        sequence = character;
        break;
      case '\r':
      case '\n':
        if (character === '\n' && crBefore) break;
        afterCr = character === '\r';
        return acted({ _tag: 'Submit', line }, '');
      case '\u007f':
      case '\b':
        line = dropLastCharacter(line);
        break;
      case '\u0017':
        line = dropLastWord(line);
        break;
      case '\u0015':
        line = '';
        break;
      case '\u0004':
        if (line === '') return acted({ _tag: 'EndOfInput' }, line);
        break;
      case '\u0003':
        return acted({ _tag: 'Interrupt' }, '');
      case '\u001d':
        return acted({ _tag: 'Escape' }, line);
      default:
        if (character >= ' ' || character === '\t') line += character;
    }
  }
  return { state: { line, sequence, afterCr }, action: undefined, rest: '' };
};

/**
 * Text as a terminal would show it: what device output looks like once its control sequences have acted.
 */

/** CSI (`ESC [ ... final`, and the C1 form), OSC (`ESC ] ... BEL|ST`), then any other `ESC intermediates final`. */
const escapeSequence =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[ -/]*[0-~]/g;

// eslint-disable-next-line no-control-regex
const otherControls = /[\u0000-\u0007\u000b\u000c\u000e-\u001f\u007f]/g;

/** One line as the cursor leaves it: CR goes back to the start, BS back one cell, other text overwrites. */
const renderLine = (line: string): string => {
  const cells: string[] = [];
  let cursor = 0;
  for (const character of line) {
    if (character === '\r') cursor = 0;
    else if (character === '\b') cursor = Math.max(0, cursor - 1);
    else {
      cells[cursor] = character;
      cursor++;
    }
  }
  // Cells the cursor skipped (it moved back, then the line got no longer) are holes: they show as spaces.
  return Array.from({ length: cells.length }, (_, index) => cells[index] ?? ' ')
    .join('')
    .trimEnd();
};

/**
 * The lines of `text` as a terminal shows them: ANSI escape sequences and other control characters removed,
 * carriage returns and backspaces applied (a pager's `--More--` erased by `\r        \r` leaves nothing), trailing
 * spaces of each line trimmed. Lines are split at LF.
 *
 * @example
 * ```ts
 * import { screenLines } from 'rxtelnet';
 * screenLines('\u001b[1mup\u001b[0m 3 days\r\n--More--\r        \rnext'); // ['up 3 days', 'next']
 * ```
 */
export const screenLines = (text: string): string[] =>
  text
    .replace(escapeSequence, '')
    .split('\n')
    .map((line) => renderLine(line.replace(otherControls, '')));

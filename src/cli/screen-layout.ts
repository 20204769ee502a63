/**
 * Pure layout of the client's terminal: server text, the trace and what the user types share one screen, and a
 * trace line never lands on a prompt or inside the line being typed. The state is what the cursor's line shows:
 * the server's text since its last newline (a prompt) and, after it, what the user is typing (echoed by us). Each
 * function returns the new state and the text to write.
 *
 * - A trace line on a line that is not empty clears that line, prints the trace (dimmed) on its own line, and
 *   redraws the prompt and the typed text after it. A line too wide to clear (it wrapped) or too long to keep is
 *   left as it is: the trace starts on a new line.
 * - Server text arriving while the user types is printed the same way: the typed text moves below it.
 *
 * @module
 */

/** What the cursor's line of the terminal shows. */
export interface ScreenState {
  /** The server's text (or a local prompt) since the last newline. */
  readonly line: string;
  /** The line outgrew {@link MAX_KEPT_LINE}: it is not kept, so it cannot be redrawn. */
  readonly lineLost: boolean;
  /** What the user is typing, shown after {@link ScreenState.line}. */
  readonly typed: string;
}

/** A new state and the text that brings the terminal there. */
export interface Painted {
  readonly state: ScreenState;
  readonly text: string;
}

/** How the terminal is drawn on. */
export interface ScreenGeometry {
  /** The terminal's width: a line at least this wide has wrapped and cannot be cleared with one erase. */
  readonly columns: number;
  /** Dim the trace (SGR 2); off for `NO_COLOR`. */
  readonly colour: boolean;
}

/** How many characters of the current line are kept for redrawing. */
export const MAX_KEPT_LINE = 2048;

/** An empty line with the cursor at its start. */
export const emptyScreen: ScreenState = { line: '', lineLost: false, typed: '' };

const DIM = '\u001b[2m';
const NORMAL_INTENSITY = '\u001b[22m';
const ERASE_LINE = '\r\u001b[K';

// eslint-disable-next-line no-control-regex -- ANSI sequences start with ESC
const escapeSequences = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

/** The columns `text` takes: escape sequences take none, every other code point one (wide characters ignored). */
export const visibleWidth = (text: string): number => {
  let width = 0;
  for (const character of text.replace(escapeSequences, '')) {
    if (character >= ' ' && character !== '\u007f') width++;
  }
  return width;
};

/** The state after `text` was written on `state`'s line. */
const advance = (state: ScreenState, text: string): ScreenState => {
  const newline = text.lastIndexOf('\n');
  const line = newline < 0 ? state.line + text : text.slice(newline + 1);
  const lineLost = (newline < 0 && state.lineLost) || line.length > MAX_KEPT_LINE;
  return { line: lineLost ? '' : line, lineLost, typed: state.typed };
};

const atLineStart = (state: ScreenState): boolean => state.line === '' && !state.lineLost && state.typed === '';

/** Takes the cursor to the start of an empty line: clears the current one when it fits, else starts a new one. */
const leaveLine = (
  state: ScreenState,
  geometry: ScreenGeometry,
): { readonly text: string; readonly cleared: boolean } =>
  !state.lineLost && visibleWidth(state.line + state.typed) < geometry.columns
    ? { text: ERASE_LINE, cleared: true }
    : { text: '\r\n', cleared: false };

/** Writes `body` (whole lines) above the current line, then redraws the line. */
const above = (state: ScreenState, body: string, geometry: ScreenGeometry): Painted => {
  if (atLineStart(state)) return { state, text: body };
  const leave = leaveLine(state, geometry);
  return { state, text: `${leave.text}${body}${state.lineLost ? '' : state.line}${state.typed}` };
};

/**
 * Server text (or a local message): written as it is, or, while the user types, with the typed text moved after it.
 *
 * @example
 * ```text
 * paintOutput(emptyScreen, 'Password: ', geometry); // { state: { line: 'Password: ', ... }, text: 'Password: ' }
 * ```
 */
export const paintOutput = (state: ScreenState, text: string, geometry: ScreenGeometry): Painted => {
  if (text === '') return { state, text: '' };
  const next = advance(state, text);
  if (state.typed === '') return { state: next, text };
  const leave = leaveLine(state, geometry);
  const redrawn = leave.cleared ? state.line : '';
  return { state: next, text: `${leave.text}${redrawn}${text}${state.typed}` };
};

/**
 * Trace lines, each on a line of its own and dimmed when `geometry.colour`, above the prompt and the typed text.
 *
 * @example
 * ```text
 * paintTrace({ line: 'Name: ', lineLost: false, typed: 'Ad' }, ['<< GA'], geometry).text;
 * // '\r\u001b[K\u001b[2m<< GA\u001b[22m\nName: Ad'
 * ```
 */
export const paintTrace = (state: ScreenState, lines: readonly string[], geometry: ScreenGeometry): Painted => {
  const body = lines.map((line) => (geometry.colour ? `${DIM}${line}${NORMAL_INTENSITY}\n` : `${line}\n`)).join('');
  return above(state, body, geometry);
};

/**
 * The typed text changed to `typed`: appends what was added, rubs out what was removed, else redraws the line.
 *
 * @example
 * ```text
 * paintTyped({ line: '> ', lineLost: false, typed: 'lo' }, 'loo', geometry).text; // 'o'
 * ```
 */
export const paintTyped = (state: ScreenState, typed: string, geometry: ScreenGeometry): Painted => {
  const next: ScreenState = { ...state, typed };
  if (typed.startsWith(state.typed)) return { state: next, text: typed.slice(state.typed.length) };
  if (state.typed.startsWith(typed)) {
    return { state: next, text: '\b \b'.repeat(visibleWidth(state.typed.slice(typed.length))) };
  }
  const leave = leaveLine(state, geometry);
  return { state: next, text: `${leave.text}${state.lineLost ? '' : state.line}${typed}` };
};

/**
 * Enter: the typed text stays on screen and the cursor goes to a new line.
 *
 * @example
 * ```text
 * paintSubmit(); // { state: emptyScreen, text: '\r\n' }
 * ```
 */
export const paintSubmit = (): Painted => ({ state: emptyScreen, text: '\r\n' });

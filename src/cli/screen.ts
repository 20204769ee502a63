/**
 * The client's screen: server text on stdout, the trace on stderr, and, on a terminal, what the user types,
 * laid out by {@link paintTrace} and its siblings so that none of them writes into another's line.
 *
 * - On a terminal (stdout and stderr both TTYs): trace lines dimmed (unless `NO_COLOR`), each on its own line;
 *   a prompt or a half-typed line is redrawn after them.
 * - Otherwise: bytes as they come, no colour. When stdout and stderr lead to the same file or pipe (`2>&1`), a
 *   trace line after a prompt that did not end its line starts on a new line, so that it reads as a line.
 *
 * @module
 */
import { fstatSync } from 'node:fs';
import { emptyScreen, paintOutput, paintSubmit, paintTrace, paintTyped } from './screen-layout.js';
import type { Painted, ScreenGeometry, ScreenState } from './screen-layout.js';

/** The streams a screen writes to. */
export interface ScreenIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Everything the client shows. */
export interface Screen {
  /** Server text, or a local message. */
  readonly output: (text: Uint8Array | string) => void;
  /** One trace line (without its newline). */
  readonly trace: (line: string) => void;
  /** The line the user is typing changed (we echo it). */
  readonly typed: (text: string) => void;
  /** The user pressed Enter: the typed line stays, the cursor goes to a new line. */
  readonly submit: () => void;
  /** Shows a local prompt (`rxtelnet> `) on a line of its own, or, with `undefined`, gives the session's line back. */
  readonly prompt: (prompt: string | undefined) => void;
}

const fdOf = (stream: object): number | undefined =>
  'fd' in stream && typeof stream.fd === 'number' ? stream.fd : undefined;

/** Whether two streams write to the same file or pipe (`2>&1`). */
const sameDestination = (one: object, other: object): boolean => {
  const [a, b] = [fdOf(one), fdOf(other)];
  if (a === undefined || b === undefined) return false;
  try {
    const [first, second] = [fstatSync(a), fstatSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
};

/** A terminal: everything goes through the layout. */
const terminalScreen = (io: ScreenIo): Screen => {
  const geometry = (): ScreenGeometry => ({
    columns: io.stdout.columns ?? 80,
    colour: (io.env.NO_COLOR ?? '') === '',
  });
  const decoder = new TextDecoder('utf-8');
  let state: ScreenState = emptyScreen;
  let saved: ScreenState | undefined;
  const paint = (painted: Painted, stream: NodeJS.WritableStream = io.stdout): void => {
    state = painted.state;
    if (painted.text !== '') stream.write(painted.text);
  };
  return {
    output: (text) => {
      paint(paintOutput(state, typeof text === 'string' ? text : decoder.decode(text, { stream: true }), geometry()));
    },
    trace: (line) => {
      paint(paintTrace(state, [line], geometry()), io.stderr);
    },
    typed: (text) => {
      paint(paintTyped(state, text, geometry()));
    },
    submit: () => {
      paint(paintSubmit());
    },
    prompt: (prompt) => {
      if (prompt !== undefined) {
        saved ??= state;
        const fresh = state.line === '' && !state.lineLost && state.typed === '' ? '' : '\r\n';
        paint({ state: { ...emptyScreen, line: prompt }, text: `${fresh}${prompt}` });
        return;
      }
      const back = saved ?? emptyScreen;
      saved = undefined;
      paint({ state: back, text: `${back.lineLost ? '' : back.line}${back.typed}` });
    },
  };
};

/** Pipes and files: bytes as they come; with one destination for both, trace lines kept on lines of their own. */
const plainScreen = (io: ScreenIo): Screen => {
  const shared = sameDestination(io.stdout, io.stderr);
  let atLineStart = true;
  let typing: ScreenState = emptyScreen;
  const output = (text: Uint8Array | string): void => {
    if (text.length === 0) return;
    io.stdout.write(text);
    const last = typeof text === 'string' ? text.charCodeAt(text.length - 1) : text[text.length - 1];
    atLineStart = last === 0x0a;
  };
  return {
    output,
    trace: (line) => {
      io.stderr.write(`${shared && !atLineStart ? '\n' : ''}${line}\n`);
      if (shared) atLineStart = true;
    },
    typed: (text) => {
      const painted = paintTyped(typing, text, { columns: Number.POSITIVE_INFINITY, colour: false });
      typing = painted.state;
      output(painted.text);
    },
    submit: () => {
      typing = emptyScreen;
      output('\n');
    },
    prompt: (prompt) => {
      if (prompt !== undefined) output(`${atLineStart ? '' : '\n'}${prompt}`);
    },
  };
};

/**
 * The screen for `io`: laid out when stdout and stderr are terminals, plain otherwise.
 *
 * @example
 * ```text
 * const screen = createScreen({ stdout: process.stdout, stderr: process.stderr, env: process.env });
 * screen.output('Name: ');
 * screen.trace('<< GA'); // on a terminal: '<< GA' dimmed above 'Name: '
 * ```
 */
export const createScreen = (io: ScreenIo): Screen =>
  io.stdout.isTTY === true && io.stderr.isTTY === true ? terminalScreen(io) : plainScreen(io);

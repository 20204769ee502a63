/**
 * The client's keyboard: bytes from stdin to the server.
 *
 * On a terminal, stdin is in raw mode for the whole session and the client echoes and edits lines itself
 * ({@link editLine}), so that the screen knows what is typed and can keep trace lines out of it:
 *
 * - Line mode (the server does not echo): the line is edited locally and goes out when Enter is pressed.
 * - Character mode (the server echoes, remote ECHO on): every keystroke goes out at once, Ctrl-C included; the
 *   server echoes what it wants shown. A half-typed line is dropped when the server starts echoing.
 * - Ctrl-] opens the escape prompt (`rxtelnet> `), as in telnet(1); Enter runs the command, and the session's
 *   line (its prompt and what was half typed) comes back after it.
 * - Ctrl-C in line mode ends the session (as it ended the process in cooked mode); Ctrl-D on an empty line ends
 *   the input.
 *
 * Piped stdin (not a TTY) is sent as it comes, without an escape character; its end is reported.
 *
 * @module
 */
import { emptyEditor, editLine } from './line-editor.js';
import type { EditorAction, EditorState } from './line-editor.js';
import type { Screen } from './screen.js';

/** The escape character, Ctrl-]. */
const ESCAPE_CHARACTER = 0x1d;

/** The prompt of the escape commands. */
export const ESCAPE_PROMPT = 'rxtelnet> ';

/** The stream the keyboard reads: `process.stdin` or a test double. */
export interface KeyboardInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** What the keyboard drives. */
export interface KeyboardOptions {
  readonly input: KeyboardInput;
  /** Sends keystrokes or lines to the server. */
  readonly send: (bytes: Uint8Array) => void;
  /** Where typed lines are echoed and the escape prompt and its answers are shown. */
  readonly screen: Pick<Screen, 'output' | 'typed' | 'submit' | 'prompt'>;
  /** Runs an escape command; `true` when the session ends with it. */
  readonly command: (line: string) => boolean;
  /** Stdin ended (Ctrl-D on an empty line, or the end of piped input). */
  readonly end: () => void;
  /** Ctrl-C in line mode: the user wants out. */
  readonly interrupt: () => void;
}

/** A running keyboard. */
export interface Keyboard {
  /** Follows the server's ECHO: character mode while it echoes. */
  readonly setRemoteEcho: (echoes: boolean) => void;
  /** Stops reading and puts the terminal back in cooked mode. */
  readonly stop: () => void;
}

const encoder = new TextEncoder();

/**
 * Starts reading `options.input`; stop it with `stop()`.
 *
 * @example
 * ```text
 * const keyboard = startKeyboard({ input: process.stdin, send: (b) => connection.write(b), screen, command, end, interrupt });
 * connection.option$(TelnetOption.ECHO).subscribe((state) => keyboard.setRemoteEcho(state.remote));
 * ```
 */
export const startKeyboard = (options: KeyboardOptions): Keyboard => {
  const { input, screen } = options;
  const tty = input.isTTY === true;
  let remoteEcho = false;
  let commandMode = false;
  let stopped = false;
  let session: EditorState = emptyEditor;
  let escape: EditorState = emptyEditor;
  const decoder = new TextDecoder('utf-8');

  const stop = (): void => {
    if (stopped) return;
    if (tty) input.setRawMode?.(false);
    stopped = true;
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
  };

  const enterCommandMode = (): void => {
    commandMode = true;
    escape = emptyEditor;
    screen.prompt(ESCAPE_PROMPT);
  };

  /** Handles what a key did in the escape prompt; `false` once the session is over. */
  const commandAction = (action: EditorAction): boolean => {
    switch (action._tag) {
      case 'Submit': {
        screen.submit();
        if (options.command(action.line)) {
          stop();
          return false;
        }
        commandMode = false;
        screen.prompt(undefined);
        return true;
      }
      case 'Interrupt':
      case 'Escape':
        screen.typed('');
        screen.submit();
        commandMode = false;
        screen.prompt(undefined);
        return true;
      case 'EndOfInput':
        return true;
    }
  };

  /** Handles what a key did while a line is typed for the server; `false` once the session is over. */
  const sessionAction = (action: EditorAction): boolean => {
    switch (action._tag) {
      case 'Submit':
        screen.submit();
        options.send(encoder.encode(`${action.line}\n`));
        return true;
      case 'Escape':
        enterCommandMode();
        return true;
      case 'EndOfInput':
        options.end();
        return true;
      case 'Interrupt':
        stop();
        options.interrupt();
        return false;
    }
  };

  const typeText = (text: string): void => {
    let rest = text;
    while (rest !== '' && !stopped) {
      if (!commandMode && remoteEcho) {
        const at = rest.indexOf(String.fromCharCode(ESCAPE_CHARACTER));
        const keys = at < 0 ? rest : rest.slice(0, at);
        if (keys !== '') options.send(encoder.encode(keys));
        if (at < 0) return;
        rest = rest.slice(at + 1);
        enterCommandMode();
        continue;
      }
      const edited = editLine(commandMode ? escape : session, rest);
      const inCommand = commandMode;
      if (inCommand) escape = edited.state;
      else session = edited.state;
      rest = edited.rest;
      screen.typed(edited.action?._tag === 'Submit' ? edited.action.line : edited.state.line);
      if (edited.action === undefined) return;
      const goOn = inCommand ? commandAction(edited.action) : sessionAction(edited.action);
      if (!goOn) return;
    }
  };

  const onData = (chunk: Buffer): void => {
    if (tty) typeText(decoder.decode(chunk, { stream: true }));
    else options.send(chunk);
  };
  const onEnd = (): void => {
    options.end();
  };

  input.on('data', onData);
  input.on('end', onEnd);
  if (tty) input.setRawMode?.(true);
  input.resume();
  return {
    setRemoteEcho: (echoes) => {
      if (echoes && !remoteEcho && !commandMode && session.line !== '') {
        session = emptyEditor;
        screen.typed('');
      }
      remoteEcho = echoes;
    },
    stop,
  };
};

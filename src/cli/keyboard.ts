/**
 * The client's keyboard: bytes from stdin to the server, in the terminal mode the session needs.
 *
 * - Line mode (the server does not echo): the terminal stays cooked, so the kernel echoes and edits the line;
 *   each line goes out when Enter is pressed.
 * - Raw mode (the server echoes, remote ECHO on): `setRawMode(true)`, every keystroke goes out at once.
 * - Ctrl-] (0x1D) on a terminal opens the escape prompt (`rxtelnet> `) in cooked mode, as telnet(1) does; in
 *   line mode the kernel delivers it with the line, so `Ctrl-] quit Enter` works in both modes. An empty first
 *   line shows the prompt; an empty command goes back to the session.
 * - Piped stdin (not a TTY) is sent as it comes, without an escape character; its end is reported.
 *
 * @module
 */

/** The escape character, Ctrl-]. */
const ESCAPE_CHARACTER = 0x1d;

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
  /** Shows local text (the escape prompt, command output) on the terminal. */
  readonly show: (text: string) => void;
  /** Runs an escape command; `true` when the session ends with it. */
  readonly command: (line: string) => boolean;
  /** Stdin ended (Ctrl-D on an empty cooked line, or the end of piped input). */
  readonly end: () => void;
}

/** A running keyboard. */
export interface Keyboard {
  /** Follows the server's ECHO: raw mode while it echoes. */
  readonly setRemoteEcho: (echoes: boolean) => void;
  /** Stops reading and puts the terminal back in cooked mode. */
  readonly stop: () => void;
}

/**
 * Starts reading `options.input`; stop it with `stop()`.
 *
 * @example
 * ```text
 * const keyboard = startKeyboard({ input: process.stdin, send: (b) => connection.write(b), show, command, end });
 * connection.option$(TelnetOption.ECHO).subscribe((state) => keyboard.setRemoteEcho(state.remote));
 * ```
 */
export const startKeyboard = (options: KeyboardOptions): Keyboard => {
  const { input } = options;
  const tty = input.isTTY === true;
  let remoteEcho = false;
  let commandMode = false;
  let awaitingFirstLine = false;
  let pending = '';
  let stopped = false;

  const applyMode = (): void => {
    if (tty && !stopped) input.setRawMode?.(remoteEcho && !commandMode);
  };
  const showPrompt = (): void => {
    options.show('\r\nrxtelnet> ');
  };
  const commandInput = (text: string): void => {
    pending += text;
    for (let newline = pending.indexOf('\n'); newline >= 0 && commandMode; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (line.trim() === '' && awaitingFirstLine) {
        awaitingFirstLine = false;
        showPrompt();
        continue;
      }
      awaitingFirstLine = false;
      pending = '';
      if (options.command(line)) return;
      commandMode = false;
      applyMode();
    }
  };
  const enterCommandMode = (rest: string): void => {
    commandMode = true;
    pending = '';
    applyMode();
    if (rest === '') {
      showPrompt();
    } else {
      awaitingFirstLine = true;
      commandInput(rest);
    }
  };
  const onData = (chunk: Buffer): void => {
    if (commandMode) {
      commandInput(chunk.toString('utf8'));
      return;
    }
    const escape = tty ? chunk.indexOf(ESCAPE_CHARACTER) : -1;
    if (escape < 0) {
      options.send(chunk);
      return;
    }
    if (remoteEcho && escape > 0) options.send(chunk.subarray(0, escape));
    enterCommandMode(chunk.subarray(escape + 1).toString('utf8'));
  };
  const onEnd = (): void => {
    options.end();
  };

  input.on('data', onData);
  input.on('end', onEnd);
  input.resume();
  return {
    setRemoteEcho: (echoes) => {
      remoteEcho = echoes;
      applyMode();
    },
    stop: () => {
      if (stopped) return;
      if (tty) input.setRawMode?.(false);
      stopped = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
    },
  };
};

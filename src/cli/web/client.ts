/**
 * The example web client that `rxtelnet gateway --web` serves: an xterm.js terminal on a Telnet connection over
 * a WebSocket, with the MUD client policy (MCCP2 inflated by `portableCompression`, GMCP, NAWS, TTYPE). Bundled
 * for browsers by esbuild at `npm run build` (scripts/build-web.mjs), next to index.html.
 *
 * The gateway's WebSocket is the page's own origin unless `?ws=ws://host:port/` says otherwise.
 *
 * @module
 */
import { Terminal } from '@xterm/xterm';
import { BehaviorSubject } from 'rxjs';
import { connectWebSocket, createConnection, lines, optionName, TELNET_WEBSOCKET_PROTOCOL } from '../../index.js';
import type { TelnetConnection } from '../../index.js';
import { gmcpMessages, mudClientPolicy, standardMudClient } from '../../mud/index.js';

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
};

const status = element('status');
const vitals = element('vitals');
const compression = element('compression');
const options = element('options');
const transcript = element('transcript');
const form = element('form');
const command = element('command') as HTMLInputElement;

const setStatus = (state: string, text: string): void => {
  status.dataset.state = state;
  status.textContent = text;
};

// The connection turns the NVT CR LF into LF (newline: 'nvt'): the terminal moves to the line start itself.
const terminal = new Terminal({ convertEol: true, cursorBlink: false, scrollback: 5000, rows: 30, cols: 100 });
terminal.open(element('terminal'));
const size = new BehaviorSubject({ width: terminal.cols, height: terminal.rows });
terminal.onResize(({ cols, rows }) => {
  size.next({ width: cols, height: rows });
});

const defaultUrl = (): string => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`;
const url = new URLSearchParams(location.search).get('ws') ?? defaultUrl();

/** Everything the page shows about the connection, wired to its streams. */
const show = (connection: TelnetConnection): void => {
  connection.data$.subscribe((bytes) => {
    terminal.write(bytes);
  });
  connection.events$.pipe(lines()).subscribe((line) => {
    transcript.append(`${line.text}\n`);
  });
  gmcpMessages(connection).subscribe((message) => {
    if (message._tag === 'Right' && message.right.name === 'Char.Vitals') {
      vitals.textContent = JSON.stringify(message.right.json);
    }
  });
  connection.options$.subscribe((states) => {
    options.replaceChildren(
      ...[...states].map(([option, state]) => {
        const item = document.createElement('li');
        item.dataset.option = optionName(option);
        item.dataset.local = String(state.local);
        item.dataset.remote = String(state.remote);
        item.className = state.local || state.remote ? 'on' : '';
        item.textContent = `${optionName(option)}: ${state.remote ? 'server on' : 'server off'}, ${state.local ? 'we on' : 'we off'}`;
        return item;
      }),
    );
  });
  connection.compression$.subscribe((event) => {
    const running = (['input', 'output'] as const).filter((direction) => connection.isCompressing(direction));
    compression.textContent =
      running.length === 0 ? 'none' : running.map((direction) => `${direction} ${optionName(event.option)}`).join(', ');
    compression.dataset.input = String(connection.isCompressing('input'));
  });
  connection.closed$.subscribe((reason) => {
    setStatus('closed', `closed (${reason._tag})`);
    terminal.write('\r\n[connection closed]\r\n');
  });
  standardMudClient(connection, { terminalTypes: ['RXTELNET-WEB', 'XTERM'], windowSizes: size }).subscribe();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = command.value;
    command.value = '';
    // The server echoes while it hides a password (WILL ECHO): then we do not.
    if (!connection.isEnabled('remote', 1)) terminal.write(`${text}\r\n`);
    connection.write(`${text}\n`);
  });
};

connectWebSocket(url, { protocols: [TELNET_WEBSOCKET_PROTOCOL] }).subscribe({
  next: (transport) => {
    setStatus('open', `connected to ${url}`);
    const connection = createConnection(transport, { policy: mudClientPolicy });
    show(connection);
    (globalThis as { rxtelnetConnection?: TelnetConnection }).rxtelnetConnection = connection;
  },
  error: (error: unknown) => {
    setStatus('failed', `cannot connect: ${error instanceof Error ? error.message : String(error)}`);
  },
});

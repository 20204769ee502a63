/**
 * `rxtelnet gateway`: a WebSocket-to-Telnet bridge for browsers (`listenGateway` of `rxtelnet/node`) and, with
 * `--web`, the example web client served from the same address (the page, its bundle and xterm.js's CSS, built
 * into dist/cli/web/ by `npm run build`).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Address } from '../index.js';
import { listenGateway } from '../node/index.js';
import type { GatewayCommand } from './args.js';

/** A running gateway. */
export interface RunningGateway {
  readonly address: Address;
  /** Where a browser opens the web client (with `--web`), or the WebSocket URL. */
  readonly url: string;
  readonly stop: () => Promise<void>;
}

/** The files of the web client, by request path. */
const webFiles: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/client.js': { file: 'client.js', type: 'text/javascript; charset=utf-8' },
  '/xterm.css': { file: 'xterm.css', type: 'text/css; charset=utf-8' },
};

/** Serves the built web client from `folder` (dist/cli/web/ next to this module). */
const serveWeb =
  (folder: URL) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    const entry = webFiles[path];
    if (entry === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    readFile(fileURLToPath(new URL(entry.file, folder))).then(
      (body) => {
        response.writeHead(200, { 'content-type': entry.type, 'cache-control': 'no-cache' }).end(body);
      },
      () => {
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end('The web client is not built: run `npm run build` in the rxtelnet checkout.\n');
      },
    );
  };

/** Starts the gateway of `command`; `log` gets one line per noteworthy event. */
export const startGateway = async (command: GatewayCommand, log: (line: string) => void): Promise<RunningGateway> => {
  const tls =
    command.tls === undefined
      ? undefined
      : { cert: await readFile(command.tls.cert), key: await readFile(command.tls.key) };
  const gateway = await listenGateway({
    host: command.host,
    port: command.port,
    to: command.to,
    ...(tls === undefined ? {} : { tls }),
    ...(command.origins === undefined ? {} : { origins: command.origins }),
    ...(command.maxPerAddress === undefined ? {} : { maxPerAddress: command.maxPerAddress }),
    ...(command.idleTimeout === undefined ? {} : { idleTimeout: command.idleTimeout * 1000 }),
    ...(command.web ? { onRequest: serveWeb(new URL('./web/', import.meta.url)) } : {}),
  });
  const { address, port } = gateway.address;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = command.web
    ? `${tls === undefined ? 'http' : 'https'}://${host}:${port}/`
    : `${tls === undefined ? 'ws' : 'wss'}://${host}:${port}/`;
  log(`rxtelnet gateway on ${url}, bridging to ${command.to.host}:${command.to.port}`);
  return { address: gateway.address, url, stop: () => gateway.close() };
};

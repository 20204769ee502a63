/**
 * libtelnet's `telnet-proxy` as a referee between an rxtelnet client and an rxtelnet server: it decodes what each
 * side sends with libtelnet's own parser, logs every event, and re-encodes it for the other side.
 *
 * telnet-proxy binds every interface (and prints ports >= 32768 as negative numbers), so it runs inside a private
 * network namespace (`unshare -n`, loopback only) on fixed ports below 32768. The test process stays outside:
 * two socat bridges inside the namespace join the proxy's TCP ports to Unix sockets in a private temporary
 * directory, which the test's rxtelnet ends use. socat passes bytes through untouched.
 *
 * ```
 * rxtelnet client -> client.sock -> socat -> 127.0.0.1:4001 telnet-proxy -> 127.0.0.1:4000 socat -> server.sock -> rxtelnet server
 * ```
 */
import { join } from 'node:path';
import { requirePeer } from '../helpers/peers.js';
import { PeerProcess } from './harness.js';

/** The proxy's ports inside the namespace (nothing outside can reach them). */
const SERVER_PORT = 4000;
const PROXY_PORT = 4001;

/** A proxy started by {@link startProxyReferee}. */
export interface ProxyReferee {
  /** The namespace's shell; its stdout lines are the proxy's log. Stopping it stops proxy and bridges. */
  readonly process: PeerProcess;
  /** Where the rxtelnet server must listen (before a client connects to {@link clientPath}). */
  readonly serverPath: string;
  /** Where the rxtelnet client connects. */
  readonly clientPath: string;
}

/** `sh -c` script: $1 is the directory of the Unix sockets. Prints READY once everything listens. */
const namespaceScript = (stdbuf: string, proxy: string, socat: string, ip: string): string => `
set -e
${ip} link set lo up
${socat} TCP-LISTEN:${SERVER_PORT},bind=127.0.0.1,reuseaddr UNIX-CONNECT:"$1/server.sock" &
${stdbuf} -oL ${proxy} 127.0.0.1 ${SERVER_PORT} ${PROXY_PORT} &
until ss -ltnH | grep -q ':${SERVER_PORT} ' && ss -ltnH | grep -q ':${PROXY_PORT} '; do sleep 0.05; done
${socat} UNIX-LISTEN:"$1/client.sock" TCP:127.0.0.1:${PROXY_PORT} &
until [ -S "$1/client.sock" ]; do sleep 0.05; done
echo READY
wait
`;

/** Starts telnet-proxy and its bridges in a new network namespace; resolves once they all listen. */
export const startProxyReferee = async (dir: string, timeLimitMs = 15_000): Promise<ProxyReferee> => {
  const script = namespaceScript(
    requirePeer('stdbuf'),
    requirePeer('telnetProxy'),
    requirePeer('socat'),
    requirePeer('ip'),
  );
  const shell = PeerProcess.spawn(requirePeer('unshare'), {
    args: ['-n', 'sh', '-c', script, 'sh', dir],
    timeLimitMs,
  });
  try {
    await shell.waitForLine((line) => line === 'READY');
  } catch (error) {
    await shell.stop();
    throw new Error(
      `telnet-proxy did not start in its namespace (unshare -n needs root or CAP_SYS_ADMIN): ${String(error)}`,
    );
  }
  return { process: shell, serverPath: join(dir, 'server.sock'), clientPath: join(dir, 'client.sock') };
};

/** Which connection of the proxy a log line is about. */
export type ProxySide = 'CLIENT' | 'SERVER';

/**
 * The bytes of `side`'s `DATA` events in the proxy log, concatenated. The proxy prints printable bytes as they
 * are and the others as `<0xHH>`, but with a signed `char`, so 0x80..0xFF come out as `<0xFFFFFF80>`..
 * `<0xFFFFFFFF>`; a `<0x0A>` ends the line and the data goes on at the start of the next one.
 */
export const proxyData = (lines: readonly string[], side: ProxySide): Buffer => {
  const prefix = `${side} DATA: `;
  const bytes: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(prefix)) continue;
    let printed = line.slice(prefix.length);
    for (let segment = printed; segment.endsWith('<0x0A>') && i + 1 < lines.length; printed += segment) {
      segment = lines[++i]!;
    }
    for (const [, hex, char] of printed.matchAll(/<0x([0-9A-F]+)>|(.)/g)) {
      bytes.push(hex === undefined ? char!.charCodeAt(0) : Number.parseInt(hex, 16) & 0xff);
    }
  }
  return Buffer.from(bytes);
};

const gluedTtype = /^((?:CLIENT|SERVER) TTYPE (?:SEND|IS) .*?)((?:CLIENT|SERVER) .*)$/;

/**
 * The proxy's log, one event per line: the proxy ends its `TTYPE SEND` / `TTYPE IS name` lines without a newline,
 * so the next event is glued to them; this splits them apart. Our own `READY` marker is left out.
 */
export const proxyLog = (lines: readonly string[]): string[] =>
  lines.flatMap((line) => {
    if (line === 'READY') return [];
    const split: string[] = [];
    let rest = line;
    for (let glued = gluedTtype.exec(rest); glued !== null; glued = gluedTtype.exec(rest)) {
      split.push(glued[1]!);
      rest = glued[2]!;
    }
    return [...split, rest];
  });

import type { Socket } from 'node:net';
import { minProxyHeaderBound, parseProxyHeader } from '../proxy-header.js';
import type { ProxiedAddresses, ProxyHeaderErrorCode } from '../proxy-header.js';
import { timeoutOption } from '../../protocol/durations.js';

/** How a socket's PROXY header ended: read (the socket is paused, the bytes after it unread), or refused. */
export type ProxyHeaderOutcome =
  | { readonly _tag: 'Header'; readonly addresses: ProxiedAddresses | undefined }
  | { readonly _tag: 'Invalid'; readonly code: ProxyHeaderErrorCode };

/** The bounds of {@link readProxyHeader}: `timeout` in ms (`Infinity` for none) and the header's size. */
export interface ProxyHeaderLimits {
  readonly timeout: number;
  readonly maxBytes: number;
}

const defaultProxyHeaderTimeout = 5_000;
const defaultMaxProxyHeaderBytes = 4_096;

/**
 * The PROXY header bounds of listen options, or undefined without `proxyProtocol`; a bad bound is a RangeError
 * whenever it is given.
 */
export const checkProxyLimits = (options: {
  readonly proxyProtocol?: boolean;
  readonly proxyHeaderTimeout?: number;
  readonly maxProxyHeaderBytes?: number;
}): ProxyHeaderLimits | undefined => {
  const timeout = timeoutOption('proxyHeaderTimeout', options.proxyHeaderTimeout, defaultProxyHeaderTimeout);
  const maxBytes = options.maxProxyHeaderBytes ?? defaultMaxProxyHeaderBytes;
  if (!(Number.isInteger(maxBytes) && maxBytes >= minProxyHeaderBound)) {
    throw new RangeError(`maxProxyHeaderBytes must be a whole number >= ${minProxyHeaderBound}, got ${maxBytes}`);
  }
  return options.proxyProtocol === true ? { timeout, maxBytes } : undefined;
};

/** Names a live TCP connection whatever wraps it (a TLS socket reports its TCP socket's ends). */
export const connectionKey = (socket: Socket): string =>
  `${socket.localAddress}|${socket.localPort}|${socket.remoteAddress}|${socket.remotePort}`;

const concat = (held: Uint8Array, chunk: Uint8Array): Uint8Array => {
  if (held.length === 0) return chunk;
  const joined = new Uint8Array(held.length + chunk.length);
  joined.set(held);
  joined.set(chunk, held.length);
  return joined;
};

/**
 * Reads the PROXY header at the start of `socket` and calls `done` once, unless cancelled first (the function
 * returned). On a header, the socket is left paused with the bytes that followed it put back (`unshift`), so
 * they are the first the next reader gets. A refusal leaves the socket to the caller (to destroy). What is held
 * is at most `maxBytes` plus one read: the parser refuses as soon as the bound is passed.
 */
export const readProxyHeader = (
  socket: Socket,
  limits: ProxyHeaderLimits,
  done: (outcome: ProxyHeaderOutcome) => void,
): (() => void) => {
  let held: Uint8Array = new Uint8Array(0);
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('end', onTruncated);
    socket.off('close', onTruncated);
    socket.off('error', onTruncated);
  };
  const finish = (outcome: ProxyHeaderOutcome): void => {
    stop();
    done(outcome);
  };
  function onTruncated(): void {
    finish({ _tag: 'Invalid', code: 'ERR_PROXY_TRUNCATED' });
  }
  function onData(chunk: Uint8Array): void {
    held = concat(held, chunk);
    const result = parseProxyHeader(held, limits.maxBytes);
    if (result._tag === 'Incomplete') return;
    if (result._tag === 'Invalid') {
      finish(result);
      return;
    }
    socket.pause();
    if (result.consumed < held.length) socket.unshift(held.subarray(result.consumed));
    finish({ _tag: 'Header', addresses: result.addresses });
  }
  socket.on('data', onData);
  socket.once('end', onTruncated);
  socket.once('close', onTruncated);
  socket.once('error', onTruncated);
  if (limits.timeout !== Infinity) {
    timer = setTimeout(() => {
      finish({ _tag: 'Invalid', code: 'ERR_PROXY_TIMEOUT' });
    }, limits.timeout);
    timer.unref();
  }
  socket.resume();
  return stop;
};

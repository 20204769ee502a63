/**
 * Byte vectors and small queries shared by the tests that run rxtelnet against the Twisted peer.
 */
import type { TwistedEvent, TwistedPeer } from './twisted.js';

/** Resolves with the `result` event of the request `id` (how its Deferred settled). */
export const result = (peer: TwistedPeer, id: string): Promise<TwistedEvent> =>
  peer.waitForEvent((e) => e.ev === 'result' && e.id === id);

/**
 * Every byte value once, then a bare LF, a bare CR, CR NUL and IAC IAC: what an escaper can get wrong. No CR LF:
 * in NVT, CR LF and a bare LF both mean "newline", and both arrive as LF.
 */
export const awkwardBytes = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([10, 13, 65, 13, 0, 255, 255]),
]);

/** What an NVT sender puts on the wire for `bytes` (which holds no CR LF): IAC doubled, LF as CR LF, CR as CR NUL. */
export const nvtWire = (bytes: Uint8Array): Buffer =>
  Buffer.from(
    [...bytes].flatMap((byte) => (byte === 255 ? [255, 255] : byte === 10 ? [13, 10] : byte === 13 ? [13, 0] : [byte])),
  );

/** Everything the Twisted peer read while deaf. */
export const ignoredBytes = (peer: TwistedPeer): Buffer =>
  Buffer.concat(peer.events().flatMap((e) => (e.ev === 'ignored' ? [Buffer.from(e.hex, 'hex')] : [])));

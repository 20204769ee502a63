import type { AddressInfo } from 'node:net';
import type { Address } from '../types.js';

const unknownAddress: Address = { family: 'other', address: '', port: 0 };

const familyOf = (family: string | number | undefined): Address['family'] => {
  if (family === 'IPv4' || family === 4) return 'IPv4';
  if (family === 'IPv6' || family === 6) return 'IPv6';
  return 'other';
};

const isAddressInfo = (info: object): info is AddressInfo => 'address' in info && 'port' in info;

/** What `socket.address()` or `server.address()` returned, as an {@link Address}: a pipe path becomes `'unix'`. */
export const toAddress = (info: AddressInfo | object | string | null): Address => {
  if (info === null) return unknownAddress;
  if (typeof info === 'string') return { family: 'unix', address: info, port: 0 };
  if (!isAddressInfo(info)) return unknownAddress;
  return { family: familyOf(info.family), address: info.address, port: info.port };
};

/** The remote end of a connected socket, or an empty `'other'` address once the socket is gone. */
export const remoteAddressOf = (socket: {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly remoteFamily?: string | undefined;
}): Address =>
  socket.remoteAddress === undefined
    ? unknownAddress
    : { family: familyOf(socket.remoteFamily), address: socket.remoteAddress, port: socket.remotePort ?? 0 };

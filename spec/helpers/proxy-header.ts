import { isIPv4, SocketAddress } from 'node:net';

/** One end of a proxied connection, for the encoders below. */
export interface ProxyEnd {
  readonly address: string;
  readonly port: number;
}

/** A v1 header line as a balancer writes it. */
export const proxyV1 = (source: ProxyEnd, destination: ProxyEnd): Uint8Array =>
  new TextEncoder().encode(
    `PROXY ${isIPv4(source.address) ? 'TCP4' : 'TCP6'} ${source.address} ${destination.address} ${source.port} ${destination.port}\r\n`,
  );

export const v2Signature = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/** The 4 or 16 bytes of a dotted IPv4 address or a full (8 groups, no `::`) IPv6 address. */
const addressBytes = (address: string): number[] =>
  isIPv4(address)
    ? address.split('.').map(Number)
    : address.split(':').flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]);

/** IPv6 as Node writes it (the oracle for the parser's formatting). */
export const nodeIPv6 = (address: string): string => new SocketAddress({ address, family: 'ipv6' }).address;

const uint16 = (value: number): number[] => [value >> 8, value & 0xff];

/** A v2 PROXY header (command PROXY, TCP) with optional TLV bytes after the addresses. */
export const proxyV2 = (source: ProxyEnd, destination: ProxyEnd, tlvs: readonly number[] = []): Uint8Array => {
  const family = isIPv4(source.address) ? 0x11 : 0x21;
  const block = [
    ...addressBytes(source.address),
    ...addressBytes(destination.address),
    ...uint16(source.port),
    ...uint16(destination.port),
    ...tlvs,
  ];
  return Uint8Array.from([...v2Signature, 0x21, family, ...uint16(block.length), ...block]);
};

/** A raw v2 header with the given version/command and family/protocol bytes and address block. */
export const rawV2 = (versionCommand: number, familyProtocol: number, block: readonly number[]): Uint8Array =>
  Uint8Array.from([...v2Signature, versionCommand, familyProtocol, ...uint16(block.length), ...block]);

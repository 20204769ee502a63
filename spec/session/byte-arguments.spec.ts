import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, SB, SE, WILL } = Command;
const { GMCP } = TelnetOption;

describe('bytes from JavaScript', () => {
  it('takes plain arrays of byte values in requestNegotiation and write, IAC doubled as for a Uint8Array', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [GMCP] }) });
    transport.receive(IAC, WILL, GMCP);
    transport.clearWritten();
    connection.requestNegotiation(GMCP, [1, 2, 255]);
    connection.write([104, 255, 105]);
    expect(transport.wire()).toEqual([IAC, SB, GMCP, 1, 2, 255, 255, IAC, SE, 104, 255, 255, 105]);
  });

  it('throws a TypeError that names the argument for anything else', () => {
    const connection = createConnection(manualTransport());
    const untyped = connection as unknown as {
      requestNegotiation(about: number, data: unknown): void;
      write(data: unknown): boolean;
    };
    expect(() => {
      untyped.requestNegotiation(GMCP, 'text');
    }).toThrow(/requestNegotiation: data must be/);
    expect(() => {
      untyped.requestNegotiation(GMCP, [1, 256]);
    }).toThrow(TypeError);
    expect(() => untyped.write({ length: 1 })).toThrow(/write: data, if not a string, must be/);
    expect(() => untyped.write([1.5])).toThrow(TypeError);
  });
});

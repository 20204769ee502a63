import { describe, expect, it } from 'vitest';
import type { TelnetEvent } from '../../src/codec/events.js';
import { binaryTransmission } from '../../src/option-helpers/binary.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, DONT } = Command;
const { BINARY } = TelnetOption;

describe('binaryTransmission', () => {
  it('asks for BINARY both ways; newlines pass untranslated while it holds, and NVT rules return after', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    const events: TelnetEvent[] = [];
    connection.events$.subscribe((event) => events.push(event));
    let on = false;
    const subscription = binaryTransmission(connection).subscribe(() => (on = true));
    expect(transport.wire()).toEqual([IAC, WILL, BINARY, IAC, DO, BINARY]);
    transport.receive(IAC, DO, BINARY, IAC, WILL, BINARY);
    expect(on).toBe(true);
    transport.clearWritten();
    connection.write(Uint8Array.of(0x0a, 0x0d, 0xff));
    transport.receive(0x0d, 0x0a);
    expect(transport.wire()).toEqual([0x0a, 0x0d, IAC, IAC]);
    subscription.unsubscribe();
    transport.receive(IAC, DONT, BINARY, IAC, WONT, BINARY);
    transport.clearWritten();
    connection.write('\n');
    expect(transport.wire()).toEqual([0x0d, 0x0a]);
    expect(events.filter((event) => event._tag === 'Data')).toEqual([
      { _tag: 'Data', bytes: Uint8Array.of(0x0d, 0x0a) },
    ]);
  });
});

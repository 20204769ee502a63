import { describe, expect, it } from 'vitest';
import { characterMode } from '../../src/option-helpers/sga.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO } = Command;
const { SGA, ECHO } = TelnetOption;

describe('characterMode', () => {
  it('offers WILL SGA and WILL ECHO, emits once both are agreed, and takes both back on unsubscribe', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    let on = 0;
    const subscription = characterMode(connection).subscribe(() => on++);
    expect(transport.wire()).toEqual([IAC, WILL, SGA, IAC, WILL, ECHO]);
    transport.receive(IAC, DO, SGA);
    expect(on).toBe(0);
    transport.receive(IAC, DO, ECHO);
    expect(on).toBe(1);
    subscription.unsubscribe();
    expect(transport.wire().slice(6)).toEqual([IAC, WONT, SGA, IAC, WONT, ECHO]);
  });
});

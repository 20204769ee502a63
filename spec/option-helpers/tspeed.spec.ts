import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { answerTerminalSpeed, type TerminalSpeed } from '../../src/option-helpers/tspeed.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, DO, SB, SE, WILL } = Command;
const { TSPEED } = TelnetOption;

describe('answerTerminalSpeed', () => {
  it('answers SEND with IS transmit,receive only while TSPEED is on our side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [TSPEED] }) });
    const sent: TerminalSpeed[] = [];
    answerTerminalSpeed(connection, { transmit: 38400, receive: 9600 }).subscribe((speed) => sent.push(speed));
    transport.receive(IAC, SB, TSPEED, 1, IAC, SE);
    transport.receive(IAC, DO, TSPEED, IAC, SB, TSPEED, 1, IAC, SE, IAC, SB, TSPEED, 0, 0x31, IAC, SE);
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      TSPEED,
      IAC,
      SB,
      TSPEED,
      0,
      ...new TextEncoder().encode('38400,9600'),
      IAC,
      SE,
    ]);
    expect(sent).toEqual([{ transmit: 38400, receive: 9600 }]);
  });
});

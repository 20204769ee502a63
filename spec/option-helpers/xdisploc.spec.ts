import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { answerDisplayLocation } from '../../src/option-helpers/xdisploc.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, DO, SB, SE, WILL } = Command;
const { XDISPLOC } = TelnetOption;

describe('answerDisplayLocation', () => {
  it('answers SEND with IS location only while XDISPLOC is on our side', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [XDISPLOC] }) });
    const sent: string[] = [];
    answerDisplayLocation(connection, 'lab7:0.0').subscribe((location) => sent.push(location));
    transport.receive(IAC, SB, XDISPLOC, 1, IAC, SE);
    transport.receive(IAC, DO, XDISPLOC, IAC, SB, XDISPLOC, 1, IAC, SE);
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      XDISPLOC,
      IAC,
      SB,
      XDISPLOC,
      0,
      ...new TextEncoder().encode('lab7:0.0'),
      IAC,
      SE,
    ]);
    expect(sent).toEqual(['lab7:0.0']);
  });
});

import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { sendPrompt } from '../../src/option-helpers/eor.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, DO, WILL, GA, EOR } = Command;
const prompt = [...new TextEncoder().encode('> ')];

describe('sendPrompt', () => {
  it('marks the prompt with GA by default, EOR once EOR is on our side, nothing with SGA alone', () => {
    const eor = manualTransport();
    const withEor = createConnection(eor, { policy: policyOf({ local: [TelnetOption.EOR, TelnetOption.SGA] }) });
    expect(sendPrompt(withEor, '> ')).toBe(true);
    eor.receive(IAC, DO, TelnetOption.EOR, IAC, DO, TelnetOption.SGA);
    sendPrompt(withEor, '> ');
    expect(eor.wire()).toEqual([
      ...prompt,
      IAC,
      GA,
      IAC,
      WILL,
      TelnetOption.EOR,
      IAC,
      WILL,
      TelnetOption.SGA,
      ...prompt,
      IAC,
      EOR,
    ]);

    const sga = manualTransport();
    const withSga = createConnection(sga, { policy: policyOf({ local: [TelnetOption.SGA] }) });
    sga.receive(IAC, DO, TelnetOption.SGA);
    sendPrompt(withSga, '> ');
    expect(sga.wire()).toEqual([IAC, WILL, TelnetOption.SGA, ...prompt]);
  });

  it('returns false once the connection is closed', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    transport.peerCloses();
    expect(sendPrompt(connection, '> ')).toBe(false);
  });
});

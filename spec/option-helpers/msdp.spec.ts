import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { msdpReportCommand, type MsdpVariable } from '../../src/options/msdp.js';
import { msdpVariables, sendMsdp, sendMsdpCommand } from '../../src/option-helpers/msdp.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, SB, SE } = Command;
const { MSDP } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const [VAR, VAL, TABLE_OPEN, TABLE_CLOSE] = [1, 2, 3, 4];

describe('MSDP over a connection', () => {
  it('decodes variables while MSDP is on, a bad payload as a Left', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [MSDP] }) });
    const seen: E.Either<PayloadError, readonly MsdpVariable[]>[] = [];
    msdpVariables(connection).subscribe((v) => seen.push(v));
    transport.receive(IAC, WILL, MSDP);
    transport.receive(
      IAC,
      SB,
      MSDP,
      VAR,
      ...text('ROOM'),
      VAL,
      TABLE_OPEN,
      VAR,
      ...text('VNUM'),
      VAL,
      ...text('6008'),
      TABLE_CLOSE,
      IAC,
      SE,
    );
    transport.receive(IAC, SB, MSDP, VAL, IAC, SE);
    expect(seen).toEqual([
      E.right([{ name: 'ROOM', value: { VNUM: '6008' } }]),
      E.left(expect.objectContaining({ option: MSDP, path: 'offset 0' })),
    ]);
  });

  it('sends variables and commands only while MSDP is on', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [MSDP] }) });
    expect(sendMsdpCommand(connection, msdpReportCommand('HEALTH'))).toBe(false);
    transport.receive(IAC, WILL, MSDP);
    transport.clearWritten();
    expect(sendMsdpCommand(connection, msdpReportCommand('HEALTH', 'MANA'))).toBe(true);
    expect(sendMsdp(connection, [{ name: 'CLIENT_ID', value: 'rx' }])).toBe(true);
    expect(transport.wire()).toEqual([
      IAC,
      SB,
      MSDP,
      VAR,
      ...text('REPORT'),
      VAL,
      ...text('HEALTH'),
      VAL,
      ...text('MANA'),
      IAC,
      SE,
      IAC,
      SB,
      MSDP,
      VAR,
      ...text('CLIENT_ID'),
      VAL,
      ...text('rx'),
      IAC,
      SE,
    ]);
  });
});

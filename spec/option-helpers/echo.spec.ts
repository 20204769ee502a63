import { describe, expect, it } from 'vitest';
import { OptionRefusedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { hideInput } from '../../src/option-helpers/echo.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, WONT, DO, DONT } = Command;
const { ECHO } = TelnetOption;

describe('hideInput', () => {
  it('offers WILL ECHO, emits once agreed, and sends WONT ECHO on unsubscribe', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    let hidden = 0;
    const subscription = hideInput(connection).subscribe(() => hidden++);
    expect(transport.wire()).toEqual([IAC, WILL, ECHO]);
    transport.receive(IAC, DO, ECHO);
    expect(hidden).toBe(1);
    subscription.unsubscribe();
    expect(transport.wire()).toEqual([IAC, WILL, ECHO, IAC, WONT, ECHO]);
    transport.receive(IAC, DONT, ECHO);
    expect(connection.isEnabled('local', ECHO)).toBe(false);
  });

  it('takes back a request still waiting for its answer on unsubscribe (RFC 1143 queue)', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    hideInput(connection).subscribe().unsubscribe();
    transport.receive(IAC, DO, ECHO);
    expect(transport.wire()).toEqual([IAC, WILL, ECHO, IAC, WONT, ECHO]);
  });

  it('leaves an ECHO that was already on as it was', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [ECHO] }) });
    transport.receive(IAC, DO, ECHO);
    let hidden = false;
    hideInput(connection)
      .subscribe(() => (hidden = true))
      .unsubscribe();
    expect(hidden).toBe(true);
    expect(transport.wire()).toEqual([IAC, WILL, ECHO]);
  });

  it('errors with OptionRefusedError when the client refuses, sending nothing more', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    let error: unknown;
    hideInput(connection).subscribe({ error: (e: unknown) => (error = e) });
    transport.receive(IAC, DONT, ECHO);
    expect(error).toBeInstanceOf(OptionRefusedError);
    expect(transport.wire()).toEqual([IAC, WILL, ECHO]);
  });

  it('completes when the connection closes', () => {
    const transport = manualTransport();
    const connection = createConnection(transport);
    let completed = false;
    hideInput(connection).subscribe({ complete: () => (completed = true), error: () => undefined });
    transport.receive(IAC, DO, ECHO);
    transport.peerCloses();
    expect(completed).toBe(true);
  });
});

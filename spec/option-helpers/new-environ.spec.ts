import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { policyOf } from '../../src/negotiation/policy.js';
import { type EnvironVariable } from '../../src/options/new-environ.js';
import { answerEnvironment, requestEnvironment, type EnvironReport } from '../../src/option-helpers/new-environ.js';
import type { PayloadError } from '../../src/options/payload-error.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const { NEW_ENVIRON } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const [IS, SEND, INFO] = [0, 1, 2];
const [VAR, VALUE, ESC, USERVAR] = [0, 1, 2, 3];

describe('requestEnvironment', () => {
  it('sends SEND with the request when the client agrees, and emits IS and INFO as untrusted variables', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [NEW_ENVIRON] }) });
    const seen: E.Either<PayloadError, EnvironReport>[] = [];
    requestEnvironment(connection, [{ kind: 'VAR', name: 'USER' }, { kind: 'USERVAR' }]).subscribe((report) =>
      seen.push(report),
    );
    transport.receive(IAC, WILL, NEW_ENVIRON);
    expect(transport.wire()).toEqual([
      IAC,
      DO,
      NEW_ENVIRON,
      IAC,
      SB,
      NEW_ENVIRON,
      SEND,
      VAR,
      ...text('USER'),
      USERVAR,
      IAC,
      SE,
    ]);
    transport.receive(
      IAC,
      SB,
      NEW_ENVIRON,
      IS,
      VAR,
      ...text('USER'),
      VALUE,
      ...text('-f root'),
      USERVAR,
      ...text('A'),
      ESC,
      VAR,
      IAC,
      SE,
    );
    transport.receive(IAC, SB, NEW_ENVIRON, INFO, VAR, ...text('USER'), IAC, SE);
    transport.receive(IAC, SB, NEW_ENVIRON, 9, IAC, SE);
    transport.receive(IAC, SB, NEW_ENVIRON, SEND, IAC, SE); // a SEND from the client is not a report
    expect(seen).toEqual([
      E.right({
        _tag: 'Is',
        variables: [
          { kind: 'VAR', name: 'USER', value: '-f root' },
          { kind: 'USERVAR', name: 'A\u0000' },
        ],
      }),
      E.right({ _tag: 'Info', variables: [{ kind: 'VAR', name: 'USER' }] }),
      E.left(expect.objectContaining({ option: NEW_ENVIRON, path: 'offset 0' })),
    ]);
  });
});

describe('answerEnvironment', () => {
  const variables: EnvironVariable[] = [
    { kind: 'VAR', name: 'CLIENT_NAME', value: 'RXTELNET' },
    { kind: 'VAR', name: 'CHARSET', value: 'UTF-8' },
    { kind: 'USERVAR', name: 'X', value: '\u0001' },
  ];

  it('answers SEND with the variables asked for, unknown ones undefined, ESC-escaping values', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [NEW_ENVIRON] }) });
    const answers: (readonly EnvironVariable[])[] = [];
    answerEnvironment(connection, variables).subscribe((answer) => answers.push(answer));
    transport.receive(IAC, SB, NEW_ENVIRON, SEND, IAC, SE); // before DO: ignored
    transport.receive(IAC, DO, NEW_ENVIRON);
    transport.clearWritten();
    transport.receive(IAC, SB, NEW_ENVIRON, SEND, VAR, ...text('CHARSET'), VAR, ...text('USER'), USERVAR, IAC, SE);
    expect(transport.wire()).toEqual([
      IAC,
      SB,
      NEW_ENVIRON,
      IS,
      VAR,
      ...text('CHARSET'),
      VALUE,
      ...text('UTF-8'),
      VAR,
      ...text('USER'),
      USERVAR,
      ...text('X'),
      VALUE,
      ESC,
      1,
      IAC,
      SE,
    ]);
    transport.receive(IAC, SB, NEW_ENVIRON, SEND, IAC, SE);
    expect(answers).toEqual([[variables[1], { kind: 'VAR', name: 'USER' }, variables[2]], variables]);
  });

  it('reads a function of variables at each request', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [NEW_ENVIRON] }) });
    let value = 'one';
    const answers: (readonly EnvironVariable[])[] = [];
    answerEnvironment(connection, () => [{ kind: 'USERVAR', name: 'V', value }]).subscribe((answer) =>
      answers.push(answer),
    );
    transport.receive(IAC, DO, NEW_ENVIRON, IAC, SB, NEW_ENVIRON, SEND, IAC, SE);
    value = 'two';
    transport.receive(IAC, SB, NEW_ENVIRON, SEND, IAC, SE);
    expect(answers.map((answer) => answer[0]?.value)).toEqual(['one', 'two']);
  });
});

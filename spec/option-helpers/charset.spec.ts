import { firstValueFrom, lastValueFrom, Subject, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CharsetRejectedError, ConnectionClosedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { agreedEncoding, answerCharset, requestCharset } from '../../src/option-helpers/charset.js';
import { decodeText } from '../../src/operators/decodeText.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { TextEncodingName } from '../../src/text/encodings.js';
import { createMemoryTransports } from '../../src/transport/memory.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const { CHARSET } = TelnetOption;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const [REQUEST, ACCEPTED, REJECTED, TTABLE_IS, TTABLE_REJECTED] = [1, 2, 3, 4, 5];

const requester = () => {
  const transport = manualTransport();
  const connection = createConnection(transport, { policy: policyOf({ local: [CHARSET] }) });
  return { transport, connection };
};

describe('requestCharset', () => {
  it('sends REQUEST only once CHARSET is on our side, and emits the accepted name', async () => {
    const { transport, connection } = requester();
    const agreed = firstValueFrom(requestCharset(connection, ['UTF-8', 'ISO-8859-1']));
    expect(transport.wire()).toEqual([]);
    transport.receive(IAC, DO, CHARSET);
    expect(transport.wire()).toEqual([
      IAC,
      WILL,
      CHARSET,
      IAC,
      SB,
      CHARSET,
      REQUEST,
      ...text(';UTF-8;ISO-8859-1'),
      IAC,
      SE,
    ]);
    transport.receive(IAC, SB, CHARSET, ACCEPTED, ...text('utf-8'), IAC, SE);
    await expect(agreed).resolves.toBe('utf-8');
  });

  it.each([
    ['REJECTED', [REJECTED], 'Rejected'],
    ['a name not offered', [ACCEPTED, ...text('KOI8-R')], 'NotOffered'],
    ['a translation table', [TTABLE_IS, 1], 'TranslationTable'],
  ] as const)('errors with CharsetRejectedError on %s', async (_case, answer, reason) => {
    const { transport, connection } = requester();
    const agreed = firstValueFrom(requestCharset(connection, ['UTF-8']));
    transport.receive(IAC, DO, CHARSET);
    transport.clearWritten();
    transport.receive(IAC, SB, CHARSET, ...answer, IAC, SE);
    await expect(agreed).rejects.toBeInstanceOf(CharsetRejectedError);
    await expect(agreed).rejects.toMatchObject({ _tag: 'CharsetRejectedError', reason });
    expect(transport.wire()).toEqual(reason === 'TranslationTable' ? [IAC, SB, CHARSET, TTABLE_REJECTED, IAC, SE] : []);
  });

  it('errors with ConnectionClosedError when the connection closes before the answer', async () => {
    const { transport, connection } = requester();
    const agreed = firstValueFrom(requestCharset(connection, ['UTF-8']));
    transport.receive(IAC, DO, CHARSET);
    transport.peerCloses();
    await expect(agreed).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('answerCharset', () => {
  it('accepts the first offered name it supports, rejects the rest, refuses translation tables', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ remote: [CHARSET] }) });
    const accepted: string[] = [];
    answerCharset(connection, ['UTF-8', 'ISO-8859-1']).subscribe((name) => accepted.push(name));
    transport.receive(IAC, WILL, CHARSET);
    transport.clearWritten();
    transport.receive(IAC, SB, CHARSET, REQUEST, ...text(' CP437 iso-8859-1 UTF-8'), IAC, SE);
    transport.receive(IAC, SB, CHARSET, REQUEST, ...text(';KOI8-R'), IAC, SE);
    transport.receive(IAC, SB, CHARSET, TTABLE_IS, 1, IAC, SE);
    expect(transport.wire()).toEqual([
      IAC,
      SB,
      CHARSET,
      ACCEPTED,
      ...text('iso-8859-1'),
      IAC,
      SE,
      IAC,
      SB,
      CHARSET,
      REJECTED,
      IAC,
      SE,
      IAC,
      SB,
      CHARSET,
      TTABLE_REJECTED,
      IAC,
      SE,
    ]);
    expect(accepted).toEqual(['iso-8859-1']);
  });
});

describe('agreedEncoding', () => {
  it('switches decodeText to the charset the client accepted, across two connections', async () => {
    const [a, b] = createMemoryTransports();
    const server = createConnection(b);
    const client = createConnection(a, { policy: policyOf({ remote: [CHARSET] }) });
    const encodings: TextEncodingName[] = [];
    const clientEncoding = agreedEncoding(client, ['ISO-8859-1']).pipe(tap((encoding) => encodings.push(encoding)));
    const serverEncoding = lastValueFrom(agreedEncoding(server).pipe(toArray()));
    const received = lastValueFrom(client.data$.pipe(decodeText(clientEncoding), toArray()));
    await firstValueFrom(server.will(CHARSET));
    await expect(firstValueFrom(requestCharset(server, ['UTF-8', 'ISO-8859-1']))).resolves.toBe('ISO-8859-1');
    server.write(Uint8Array.of(0xe9, 0x74, 0xe9));
    server.loseConnection();
    expect((await received).join('')).toBe('été');
    expect(encodings).toEqual(['latin1']);
    expect(await serverEncoding).toEqual(['latin1']);
  });

  it('skips names rxtelnet cannot decode', () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { policy: policyOf({ local: [CHARSET] }) });
    const seen = new Subject<TextEncodingName>();
    const encodings: TextEncodingName[] = [];
    seen.subscribe((encoding) => encodings.push(encoding));
    agreedEncoding(connection).subscribe(seen);
    transport.receive(IAC, DO, CHARSET);
    transport.receive(
      IAC,
      SB,
      CHARSET,
      ACCEPTED,
      ...text('KOI8-R'),
      IAC,
      SE,
      IAC,
      SB,
      CHARSET,
      ACCEPTED,
      ...text('IBM437'),
      IAC,
      SE,
    );
    expect(encodings).toEqual(['cp437']);
  });
});

import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/negotiation/errors.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { NAWS } = TelnetOption;

describe('negotiationTimeout', () => {
  it('waits for ever with Infinity (a real timer of Infinity ms would fire at once), until the close', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, { negotiationTimeout: Infinity });
    const outcome = firstValueFrom(connection.do(NAWS)).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    transport.peerCloses();
    expect(await outcome).toBeInstanceOf(ConnectionClosedError);
  });

  it.each([0, -1, Number.NaN])('refuses %d', (value) => {
    expect(() => createConnection(manualTransport(), { negotiationTimeout: value })).toThrow(RangeError);
  });
});

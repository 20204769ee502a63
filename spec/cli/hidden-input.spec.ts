import { describe, expect, it } from 'vitest';
import { data, negotiation, TelnetOption } from '../../src/index.js';
import { MASKED_DATA, maskedDescriptions } from '../../src/cli/hidden-input.js';

const typed = data(new TextEncoder().encode('hunter2\r\n'));
const shown = 'DATA 9 bytes "hunter2\\r\\n"';

describe('maskedDescriptions', () => {
  it('masks the client data only while both sides agreed to the server echoing', () => {
    const { fromServer, fromClient } = maskedDescriptions();
    expect(fromClient(typed)).toBe(shown);
    expect(fromServer(negotiation('WILL', TelnetOption.ECHO))).toBe('WILL ECHO');
    expect(fromClient(typed)).toBe(shown);
    expect(fromClient(negotiation('DO', TelnetOption.ECHO))).toBe('DO ECHO');
    expect(fromClient(typed)).toBe(MASKED_DATA);
    expect(fromServer(typed)).toBe(shown);
    fromServer(negotiation('WONT', TelnetOption.ECHO));
    expect(fromClient(typed)).toBe(shown);
  });

  it('shows what a client types when it refused the server echo (it echoes locally), or asked and was refused', () => {
    const refusing = maskedDescriptions();
    refusing.fromServer(negotiation('WILL', TelnetOption.ECHO));
    refusing.fromClient(negotiation('DONT', TelnetOption.ECHO));
    expect(refusing.fromClient(typed)).toBe(shown);

    const refused = maskedDescriptions();
    refused.fromClient(negotiation('DO', TelnetOption.ECHO));
    refused.fromServer(negotiation('WONT', TelnetOption.ECHO));
    expect(refused.fromClient(typed)).toBe(shown);
    refused.fromServer(negotiation('WILL', TelnetOption.SGA));
    expect(refused.fromClient(typed)).toBe(shown);
  });
});

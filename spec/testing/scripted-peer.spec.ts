import { describe, expect, it } from 'vitest';
import { isTelnetError, ScriptMismatchError, ScriptTimeoutError } from '../../src/negotiation/errors.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { policyOf } from '../../src/negotiation/policy.js';
import {
  close,
  compliantPeer,
  expectBytes,
  expectClosed,
  expectMatch,
  expectNegotiation,
  expectText,
  inetutilsTelnetd,
  mudServer,
  negotiate,
  record,
  refusingPeer,
  runInVirtualTime,
  scriptedPeer,
  sendText,
  testConnection,
  wait,
} from '../../src/testing/index.js';

const { IAC, SB, SE, GA } = Command;
const { NAWS, ECHO, SGA, TTYPE, GMCP } = TelnetOption;

describe('scriptedPeer', () => {
  it('plays its script: sends, expects text and bytes, reports what it received', () => {
    const { report, value } = testConnection(
      [sendText('Name? '), expectText('Ada\r\n'), expectBytes([IAC, GA]), sendText('Hi Ada\n'), close()],
      {},
      (connection) => {
        connection.write('Ada\n');
        connection.sendCommand(GA);
        return record(connection.data$);
      },
    );
    expect(new TextDecoder().decode(Uint8Array.from(value.values.flatMap((chunk) => [...chunk])))).toBe(
      'Name? Hi Ada\n',
    );
    expect(value.completed).toBe(true);
    expect([...report.received]).toEqual([...new TextEncoder().encode('Ada\r\n'), IAC, GA]);
    expect(report.unread.length).toBe(0);
  });

  it('fails at once on a mismatch, showing expected and received bytes with commands by name', () => {
    let failure: unknown;
    try {
      testConnection([expectText('admin\r\n')], {}, (connection) => {
        connection.write('root\n');
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ScriptMismatchError);
    expect(isTelnetError(failure)).toBe(true);
    const mismatch = failure as ScriptMismatchError;
    expect(mismatch.step).toBe(1);
    expect(mismatch.expected).toBe('"admin\\r\\n"');
    expect(mismatch.received).toBe('"root\\r\\n" (differs at byte 0)');
    expect(mismatch.message).toContain('expected: "admin\\r\\n"');
  });

  it('renders subnegotiations in mismatch reports', () => {
    expect(() =>
      testConnection([negotiate('DO', NAWS), expectBytes([IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE])], {}, (connection) => {
        connection.requestNegotiation(NAWS, [0, 100, 0, 24]);
      }),
    ).toThrow('received: IAC SB NAWS 0 100 0 24 IAC SE (differs at byte 4)');
  });

  it('times out in virtual time when what it expects never comes, and closes its side', () => {
    let failure: unknown;
    let closed: unknown;
    try {
      testConnection([sendText('login: '), expectText('admin\r\n', { timeout: 30_000 })], {}, (connection) => {
        closed = record(connection.closed$);
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ScriptTimeoutError);
    expect((failure as ScriptTimeoutError).timeout).toBe(30_000);
    expect((failure as ScriptTimeoutError).received).toBe('(nothing)');
    expect(closed).toMatchObject({ values: [{ _tag: 'ClosedByPeer' }], endedAt: 30_000 });
  });

  it('reports a step still waiting when the test ends first (timeout Infinity)', () => {
    expect(() => testConnection([expectText('x')], { timeout: Infinity }, () => undefined)).toThrow(
      /step 1 \(expectText\).*\n.*\n.*had not finished/,
    );
  });

  it('fails when the connection closes before the expected bytes', () => {
    expect(() =>
      testConnection([expectText('quit\r\n')], {}, (connection) => {
        connection.write('qu');
        connection.loseConnection();
      }),
    ).toThrow('received: "qu", then the connection closed');
  });

  it('matches patterns, skipping what comes before, and waits for the close', () => {
    const { report } = testConnection([expectMatch(/say (\w+)\r\n/), expectClosed()], {}, (connection) => {
      connection.write('look\nsay hello\n');
      connection.loseConnection();
    });
    expect(report.unread.length).toBe(0);
  });

  it('waits in virtual time between steps', () => {
    const { value } = testConnection([wait(1000), sendText('late')], {}, (connection, { scheduler }) =>
      record(connection.data$, scheduler),
    );
    expect(value.times).toEqual([1000]);
  });

  it('refuses invalid timeouts and negotiations in expected bytes', () => {
    expect(() => expectText('x', { timeout: 0 })).toThrow(RangeError);
    expect(() => scriptedPeer([], { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => expectBytes([IAC, Command.DO, ECHO])).toThrow(/expectNegotiation/);
    expect(() => wait(-1)).toThrow(RangeError);
  });
});

describe('peer profiles', () => {
  it('compliantPeer agrees to every request, once (RFC 1143: no answer to a confirmation)', () => {
    const { value, report } = testConnection(
      [expectNegotiation('DO', ECHO), expectNegotiation('WILL', NAWS)],
      { answers: compliantPeer },
      (connection) => [record(connection.do(ECHO)), record(connection.will(NAWS))],
    );
    expect(value.map((request) => request.values)).toEqual([
      [{ option: ECHO, side: 'remote', enabled: true }],
      [{ option: NAWS, side: 'local', enabled: true }],
    ]);
    expect(report.negotiations).toHaveLength(2);
  });

  it('refusingPeer refuses every request', () => {
    const { value } = testConnection([], { answers: refusingPeer }, (connection) => record(connection.do(SGA)));
    expect(value.error).toMatchObject({ _tag: 'OptionRefusedError', option: SGA });
  });

  it('inetutilsTelnetd opens with the offers recorded from the real daemon', () => {
    const { value } = testConnection([expectNegotiation('WONT', TTYPE)], { answers: inetutilsTelnetd }, (connection) =>
      record(connection.events$),
    );
    expect(value.values.filter((event) => event._tag === 'Negotiation')).toEqual([
      { _tag: 'Negotiation', verb: 'WILL', option: TelnetOption.AUTHENTICATION },
      { _tag: 'Negotiation', verb: 'WILL', option: TelnetOption.ENCRYPT },
      { _tag: 'Negotiation', verb: 'DO', option: TTYPE },
      { _tag: 'Negotiation', verb: 'DO', option: TelnetOption.TSPEED },
      { _tag: 'Negotiation', verb: 'DO', option: TelnetOption.XDISPLOC },
      { _tag: 'Negotiation', verb: 'DO', option: TelnetOption.NEW_ENVIRON },
      { _tag: 'Negotiation', verb: 'DO', option: TelnetOption.OLD_ENVIRON },
    ]);
  });

  it('mudServer offers GMCP; a MUD client policy agrees and ready$ settles in virtual time', () => {
    const { value } = testConnection(
      [expectNegotiation('DO', GMCP)],
      { answers: mudServer, connection: { policy: policyOf({ remote: [GMCP], local: [NAWS] }) } },
      (connection) => ({ ready: record(connection.ready$), gmcp: record(connection.option$(GMCP)) }),
    );
    expect(value.ready.times).toEqual([50]);
    expect(value.gmcp.values.at(-1)).toEqual({ local: false, remote: true });
  });

  it('negotiate with a profile follows the Q method: nothing is sent for an option already in that state', () => {
    const events = runInVirtualTime(({ scheduler }) => {
      const peer = scriptedPeer([negotiate('WILL', ECHO), expectNegotiation('DO', ECHO), negotiate('WILL', ECHO)], {
        answers: compliantPeer,
        scheduler,
      });
      const connection = createConnection(peer.transport, { policy: policyOf({ remote: [ECHO] }), scheduler });
      return record(connection.events$);
    });
    expect(events.values).toEqual([{ _tag: 'Negotiation', verb: 'WILL', option: ECHO }]);
  });
});

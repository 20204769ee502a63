import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/negotiation/errors.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, WILL, DO, SB, SE } = Command;
const { NAWS, ECHO, SGA } = TelnetOption;

const run = (body: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0], scheduler: TestScheduler) => void) => {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
  scheduler.run((helpers) => {
    body(helpers, scheduler);
  });
};

describe('ready$', () => {
  it('emits once the peer has been quiet for readyQuiet ms, then completes', () => {
    run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { policy: policyOf({ remote: [ECHO, SGA] }) });
      cold('10ms a 5ms b').subscribe((step) => {
        transport.receive(IAC, WILL, step === 'a' ? ECHO : SGA);
      });
      // The last negotiation at 16 ms; quiet for 50 ms.
      expectObservable(connection.ready$).toBe('66ms (r|)', { r: undefined });
    });
  });

  it('counts the subnegotiations that nobody reads as negotiation, rescheduling its one wait', () => {
    run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const connection = createConnection(transport);
      cold('10ms a 20ms b 30ms c').subscribe(() => {
        transport.receive(IAC, SB, TelnetOption.GMCP, 0x61, IAC, SE);
      });
      // The last subnegotiation at 62 ms; quiet for 50 ms.
      expectObservable(connection.ready$).toBe('112ms (r|)', { r: undefined });
    });
  });

  it('waits for the answers to our own requests', () => {
    run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const connection = createConnection(transport);
      connection.do(NAWS).subscribe({ error: () => undefined });
      cold('300ms a').subscribe(() => {
        transport.receive(IAC, WILL, NAWS);
      });
      expectObservable(connection.ready$).toBe('350ms (r|)', { r: undefined });
    });
  });

  it('emits at readyTimeout at the latest, however the peer goes on', () => {
    run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const connection = createConnection(transport, { readyTimeout: 500, negotiationTimeout: Infinity });
      cold('10ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a').subscribe(() => {
        transport.receive(IAC, DO, ECHO);
      });
      connection.will(SGA).subscribe({ error: () => undefined }); // never answered
      expectObservable(connection.ready$).toBe('500ms (r|)', { r: undefined });
    });
  });

  it('replays to a late subscriber', () => {
    run(({ expectObservable }, scheduler) => {
      const connection = createConnection(manualTransport());
      scheduler.schedule(() => {
        expectObservable(connection.ready$).toBe('1000ms (r|)', { r: undefined }); // frames count from 0
      }, 1000);
    });
  });

  it('errors with ConnectionClosedError when the connection closes first', () => {
    run(({ expectObservable, cold }) => {
      const transport = manualTransport();
      const connection = createConnection(transport);
      connection.do(NAWS).subscribe({ error: () => undefined });
      cold('20ms a').subscribe(() => {
        transport.peerCloses();
      });
      expectObservable(connection.ready$).toBe('20ms #', undefined, new ConnectionClosedError());
    });
  });

  it('refuses invalid timings', () => {
    expect(() => createConnection(manualTransport(), { readyQuiet: -1 })).toThrow(RangeError);
    expect(() => createConnection(manualTransport(), { readyTimeout: Number.NaN })).toThrow(RangeError);
  });
});

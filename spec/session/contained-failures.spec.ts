/**
 * Code handed to a connection that throws while the peer's input is handled never escapes as an exception: a
 * throwing policy refuses and warns (`PolicyFailed`), anything else closes the connection with `InputFailed`,
 * after the data decoded before it.
 */
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { Compression } from '../../src/transport/compression.js';
import { portableCompression } from '../../src/transport/portable-compression.js';
import { manualTransport } from '../../src/testing/index.js';

const { IAC, DO, DONT, WILL, WONT, SB, SE } = Command;
const { ECHO, SGA, MCCP2 } = TelnetOption;
const text = (value: string): number[] => [...new TextEncoder().encode(value)];

describe('a policy that throws', () => {
  it('refuses that request, warns PolicyFailed, and leaves the connection working', async () => {
    const transport = manualTransport();
    const connection = createConnection(transport, {
      policy: {
        local: (option) => {
          if (option === ECHO) throw new Error('no ECHO table loaded');
          return option === SGA;
        },
        remote: () => false,
      },
    });
    const warnings = firstValueFrom(connection.warnings$);
    const data = firstValueFrom(connection.data$);
    transport.receive(IAC, DO, ECHO, IAC, DO, SGA, ...text('still here'));
    expect(await warnings).toMatchObject({ code: 'PolicyFailed' });
    expect((await warnings).detail).toContain('no ECHO table loaded');
    expect(transport.wire()).toEqual([IAC, WONT, ECHO, IAC, WILL, SGA]);
    expect(new TextDecoder().decode(await data)).toBe('still here');
    expect(connection.isEnabled('local', SGA)).toBe(true);
  });

  it('is consulted as a method, so a class policy keeps its this', () => {
    class Allow {
      readonly allowed = new Set<number>([SGA]);
      local(option: number): boolean {
        return this.allowed.has(option);
      }
      remote(): boolean {
        return false;
      }
    }
    const transport = manualTransport();
    createConnection(transport, { policy: new Allow() });
    transport.receive(IAC, DO, SGA, IAC, WILL, ECHO);
    expect(transport.wire()).toEqual([IAC, WILL, SGA, IAC, DONT, ECHO]);
  });
});

describe('a compression engine that throws', () => {
  it('closes the connection with InputFailed after the data that came before it', async () => {
    const broken: Compression = {
      inflater: () => ({
        write: () => {
          throw new Error('engine broke its contract');
        },
        finish: () => undefined,
        destroy: () => undefined,
      }),
      deflater: portableCompression.deflater,
    };
    const transport = manualTransport();
    const connection = createConnection(transport, {
      compression: broken,
      policy: { local: () => false, remote: (option) => option === MCCP2 },
    });
    const data = firstValueFrom(connection.data$.pipe(toArray()));
    transport.receive(...text('before'), IAC, WILL, MCCP2);
    transport.receive(IAC, SB, MCCP2, IAC, SE, 0x78, 0x5e, 1, 2, 3);
    const reason = await firstValueFrom(connection.closed$);
    expect(reason._tag).toBe('InputFailed');
    expect(reason._tag === 'InputFailed' && reason.error instanceof Error && reason.error.message).toBe(
      'engine broke its contract',
    );
    expect(new TextDecoder().decode(Buffer.concat(await data))).toBe('before');
  });
});

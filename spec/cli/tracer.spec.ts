import { describe, expect, it, vi } from 'vitest';
import { Command, createConnection, TelnetOption, policyOf } from '../../src/index.js';
import type { Compression, Deflater, DeflaterSink } from '../../src/index.js';
import { nodeCompression } from '../../src/node/index.js';
import { traceLink } from '../../src/cli/tracer.js';
import { manualTransport } from '../../src/testing/index.js';

const IAC = 255;
const SB = 250;
const SE = 240;

/** Compression whose deflater "compresses" every chunk into IAC WILL ECHO, which must never be traced. */
const fakeDeflating = (): { compression: Compression; fed: number[][] } => {
  const fed: number[][] = [];
  const compression: Compression = {
    inflater: nodeCompression.inflater,
    deflater: (sink: DeflaterSink): Deflater => ({
      write: (chunk) => {
        fed.push([...chunk]);
        sink.data(Uint8Array.of(IAC, 251, TelnetOption.ECHO));
      },
      end: () => {
        sink.end();
      },
      destroy: () => undefined,
    }),
  };
  return { compression, fed };
};

describe('traceLink', () => {
  it('traces a request before the answer the connection sends to it', () => {
    const transport = manualTransport();
    const lines: string[] = [];
    const link = traceLink(transport, nodeCompression, (line) => lines.push(line));
    const connection = createConnection(link.transport, { policy: policyOf({ local: [TelnetOption.NAWS] }) });
    link.watch(connection);
    transport.receive(IAC, 253, TelnetOption.NAWS, IAC, 253, TelnetOption.TTYPE);
    expect(lines).toEqual(['<< DO NAWS', '>> WILL NAWS', '<< DO TTYPE', '>> WONT TTYPE']);
    expect(transport.wire()).toEqual([IAC, 251, TelnetOption.NAWS, IAC, 252, TelnetOption.TTYPE]);
  });

  it('traces what subscribers send in answer to an event after it, when watched last', () => {
    const transport = manualTransport();
    const lines: string[] = [];
    const link = traceLink(transport, nodeCompression, (line) => lines.push(line));
    const connection = createConnection(link.transport);
    connection.commands$.subscribe(() => {
      connection.requestNegotiation(TelnetOption.GMCP, new TextEncoder().encode('Core.Ping'));
    });
    link.watch(connection);
    transport.receive(IAC, Command.AYT, IAC, Command.NOP);
    expect(lines).toEqual(['<< AYT', '>> SB GMCP Core.Ping', '<< NOP', '>> SB GMCP Core.Ping']);
  });

  it('traces our own requests and subnegotiations at once, and no data', () => {
    const transport = manualTransport();
    const lines: string[] = [];
    const link = traceLink(transport, nodeCompression, (line) => lines.push(line));
    const connection = createConnection(link.transport);
    link.watch(connection);
    connection.will(TelnetOption.TTYPE).subscribe({ error: () => undefined });
    connection.write('look\n');
    connection.requestNegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24));
    transport.receive(0x68, 0x69, IAC, Command.GA);
    expect(lines).toEqual(['>> WILL TTYPE', '>> SB NAWS 80x24', '<< GA']);
  });

  it('traces our output before compression, never the compressed bytes', () => {
    const transport = manualTransport();
    const lines: string[] = [];
    const { compression, fed } = fakeDeflating();
    const link = traceLink(transport, compression, (line) => lines.push(line));
    const connection = createConnection(link.transport, {
      policy: policyOf({ local: [TelnetOption.MCCP2] }),
      compression: link.compression,
    });
    link.watch(connection);
    transport.receive(IAC, 253, TelnetOption.MCCP2);
    connection.sendCommand(Command.GA);
    expect(lines).toEqual(['<< DO MCCP2', '>> WILL MCCP2', '>> SB MCCP2', '>> MCCP2 compression started', '>> GA']);
    expect(fed).toEqual([[IAC, Command.GA]]);
    expect(transport.wire()).toEqual([
      IAC,
      251,
      TelnetOption.MCCP2,
      IAC,
      SB,
      TelnetOption.MCCP2,
      IAC,
      SE,
      IAC,
      251,
      TelnetOption.ECHO,
    ]);
  });

  it('traces the peer’s compressed stream once inflated', async () => {
    const { deflateSync } = await import('node:zlib');
    const transport = manualTransport();
    const lines: string[] = [];
    const link = traceLink(transport, nodeCompression, (line) => lines.push(line));
    const connection = createConnection(link.transport, {
      policy: policyOf({ remote: [TelnetOption.MCCP2] }),
      compression: link.compression,
    });
    link.watch(connection);
    transport.receive(IAC, 251, TelnetOption.MCCP2, IAC, SB, TelnetOption.MCCP2, IAC, SE);
    transport.receiveChunk(deflateSync(Uint8Array.of(IAC, 253, TelnetOption.NAWS, IAC, Command.GA)));
    await vi.waitFor(() => {
      expect(lines).toContain('<< GA');
    });
    expect(lines).toEqual([
      '<< WILL MCCP2',
      '>> DO MCCP2',
      '<< SB MCCP2',
      '<< MCCP2 compression started',
      '<< DO NAWS',
      '>> WONT NAWS',
      '<< GA',
    ]);
  });
});

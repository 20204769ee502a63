import { deflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { Command, TelnetOption } from '../../src/index.js';
import { nodeCompression } from '../../src/node/index.js';
import { streamLog } from '../../src/cli/stream-log.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const text = (value: string): number[] => [...new TextEncoder().encode(value)];

describe('streamLog', () => {
  it('logs every event of the chunks, across chunk boundaries', () => {
    const lines: string[] = [];
    const log = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, (line) => lines.push(line));
    log.write(Uint8Array.of(IAC, 251));
    log.write(Uint8Array.of(TelnetOption.ECHO, ...text('Name: '), IAC, Command.GA, IAC, SB, TelnetOption.TTYPE, 1));
    log.write(Uint8Array.of(IAC, SE));
    log.end();
    expect(lines).toEqual(['S->C WILL ECHO', 'S->C DATA 6 bytes "Name: "', 'S->C GA', 'S->C SB TTYPE SEND']);
  });

  it('inflates the stream after the start marker for the log, and reads plain Telnet after its end', async () => {
    const lines: string[] = [];
    const log = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, (line) => lines.push(line));
    const compressed = deflateSync(Uint8Array.of(...text('hi'), IAC, Command.EOR));
    const chunk = Uint8Array.of(IAC, SB, TelnetOption.MCCP2, IAC, SE, ...compressed, IAC, Command.NOP);
    const copy = chunk.slice();
    log.write(chunk);
    await vi.waitFor(() => {
      expect(lines).toContain('S->C NOP');
    });
    expect(lines).toEqual([
      'S->C SB MCCP2',
      'S->C MCCP2 compression started',
      'S->C DATA 2 bytes "hi"',
      'S->C EOR',
      'S->C MCCP2 compression ended',
      'S->C NOP',
    ]);
    expect(chunk).toEqual(copy);
    log.end();
  });

  it('still logs what the inflater holds when the direction closes right after the compressed bytes', async () => {
    const lines: string[] = [];
    const log = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, (line) => lines.push(line));
    log.write(
      Uint8Array.of(
        IAC,
        SB,
        TelnetOption.MCCP2,
        IAC,
        SE,
        ...deflateSync(Uint8Array.of(...text('bye'), IAC, Command.GA)),
      ),
    );
    log.end();
    await vi.waitFor(() => {
      expect(lines).toContain('S->C MCCP2 compression ended');
    });
    expect(lines.slice(2)).toEqual(['S->C DATA 3 bytes "bye"', 'S->C GA', 'S->C MCCP2 compression ended']);
  });

  it('starts inflating only for its own direction’s option', () => {
    const lines: string[] = [];
    const log = streamLog('C->S', TelnetOption.MCCP3, nodeCompression, (line) => lines.push(line));
    log.write(Uint8Array.of(IAC, SB, TelnetOption.MCCP2, IAC, SE, IAC, Command.GA));
    expect(lines).toEqual(['C->S SB MCCP2', 'C->S GA']);
    log.end();
  });

  it('stops logging a corrupt compressed stream and says so', async () => {
    const lines: string[] = [];
    const log = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, (line) => lines.push(line));
    log.write(Uint8Array.of(IAC, SB, TelnetOption.MCCP2, IAC, SE, 1, 2, 3, 4, 5, 6));
    await vi.waitFor(() => {
      expect(lines.at(-1)).toMatch(/^S->C cannot inflate the compressed stream .*; relaying it unlogged$/);
    });
    log.write(Uint8Array.of(IAC, Command.GA));
    expect(lines.at(-1)).toMatch(/relaying it unlogged$/);
    log.end();
  });
});

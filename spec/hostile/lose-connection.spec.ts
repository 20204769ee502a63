/**
 * Finding 8: `loseConnection()` against a peer that keeps sending. Once our output is flushed and our FIN is
 * sent, nothing more is decoded or delivered, and `closed$` emits well under a second later (not after the
 * transport's 5 s close timeout).
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TelnetOption } from '../../src/protocol/options.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { closedWithin, delay, rawClient, startServer } from './support.js';
import type { HostileServer } from './support.js';

const servers: HostileServer[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const server of servers.splice(0)) server.stop();
  await Promise.all(sockets.splice(0).map((socket) => closedWithin(socket, 1000)));
});

const loseCase = async (mccp2: boolean) => {
  const server = await startServer(mccp2 ? { policy: policyOf({ local: [TelnetOption.MCCP2] }) } : {}, () => '');
  servers.push(server);
  // A live peer: it reads everything, ignores our FIN (half-open) and sends a line every millisecond.
  const client = await rawClient(server.port, true);
  sockets.push(client);
  let finAt: number | undefined;
  let wire = Buffer.alloc(0);
  client.on('data', (bytes: Buffer) => {
    wire = Buffer.concat([wire, bytes]);
  });
  client.once('end', () => {
    finAt = performance.now();
  });
  if (mccp2) client.write(Uint8Array.of(255, 253, TelnetOption.MCCP2));
  timers.push(
    setInterval(() => {
      if (!client.destroyed && client.writable) client.write('still talking\r\n');
    }, 1),
  );
  const served = await server.next();
  await delay(100);
  expect(served.received.length).toBeGreaterThan(0);

  served.connection.write('goodbye\r\n');
  const asked = performance.now();
  served.connection.loseConnection();
  const outcome = await Promise.race([served.closed, delay(4000).then(() => undefined)]);
  await delay(50);
  return { served, asked, outcome, finAt, wire };
};

describe('loseConnection while the peer keeps sending', { timeout: 10_000 }, () => {
  it('closes soon after our FIN, and delivers nothing decoded after it', async () => {
    const { served, asked, outcome, finAt, wire } = await loseCase(false);
    if (process.env.HOSTILE_REPORT !== undefined) {
      console.log(
        `closed$ ${outcome === undefined ? '> 4000' : (outcome.at - asked).toFixed(1)} ms after loseConnection`,
      );
    }
    expect(outcome?.reason).toEqual({ _tag: 'ClosedByUs' });
    expect((outcome?.at ?? Infinity) - asked).toBeLessThan(500);
    expect(finAt).toBeDefined();
    expect(wire.toString('latin1')).toContain('goodbye\r\n');
    const late = served.received.filter((chunk) => chunk.at > (finAt ?? 0));
    expect(late).toEqual([]);
  });

  it('does the same while MCCP2 compresses our output, after finishing the compressed stream', async () => {
    const { asked, outcome, finAt } = await loseCase(true);
    expect(outcome?.reason).toEqual({ _tag: 'ClosedByUs' });
    expect((outcome?.at ?? Infinity) - asked).toBeLessThan(500);
    expect(finAt).toBeDefined();
  });
});

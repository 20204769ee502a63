/** registerTelnetMetrics: the Prometheus text of a real loopback server after a few connections, one refused. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { listenTelnet } from '../../src/node/telnet.js';
import { registerTelnetMetrics } from '../../src/node/prometheus.js';
import { policyOf } from '../../src/negotiation/policy.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { createTelnetMetrics } from '../../src/session/metrics.js';
import type { TelnetMetrics } from '../../src/session/metrics.js';
import type { Subscription } from 'rxjs';

const { IAC, DO, SE } = Command;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
};

const startServer = (metrics: TelnetMetrics): Promise<number> =>
  new Promise((resolve, reject) => {
    const subscription: Subscription = listenTelnet({
      port: 0,
      maxConnectionsPerAddress: 2,
      policy: policyOf({ local: [TelnetOption.ECHO] }),
    })
      .pipe(metrics.track())
      .subscribe({
        next: (event) => {
          if (event._tag === 'Listening') resolve(event.address.port);
          if (event._tag === 'Connected') event.connection.write('Welcome!\r\n');
        },
        error: reject,
      });
    cleanups.push(() => {
      subscription.unsubscribe();
    });
  });

const open = (port: number): Socket => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  cleanups.push(() => socket.destroy());
  return socket;
};

/** The value of one sample line (`name{labels} value`) of the exposition text. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('registerTelnetMetrics', () => {
  it('exposes the server counters and gauges as Prometheus text', async () => {
    const metrics = createTelnetMetrics();
    const registry = registerTelnetMetrics(metrics);
    const port = await startServer(metrics);
    const first = open(port);
    const second = open(port);
    await until(() => metrics.snapshot().connectionsOpen === 2);
    const third = open(port);
    await new Promise((resolve) => third.once('close', resolve));
    first.write(Uint8Array.from([IAC, DO, TelnetOption.ECHO, IAC, SE]));
    await until(() => metrics.snapshot().negotiationsReceived === 1 && metrics.snapshot().warnings.StraySE === 1);
    second.end();
    await until(() => metrics.snapshot().connectionsOpen === 1);

    const text = await registry.metrics();
    expect(text).toContain('# TYPE rxtelnet_connections_open gauge');
    expect(text).toContain('# TYPE rxtelnet_connections_accepted_total counter');
    expect(sample(text, 'rxtelnet_connections_open')).toBe(1);
    expect(sample(text, 'rxtelnet_connections_accepted_total')).toBe(2);
    expect(sample(text, 'rxtelnet_connections_refused_total{reason="MaxConnectionsPerAddress"}')).toBe(1);
    expect(sample(text, 'rxtelnet_connections_closed_total{reason="ClosedByPeer"}')).toBe(1);
    expect(sample(text, 'rxtelnet_bytes_received_total')).toBe(5);
    // Welcome!\r\n twice, and WILL ECHO answering the DO.
    expect(sample(text, 'rxtelnet_bytes_sent_total')).toBe(2 * 10 + 3);
    expect(sample(text, 'rxtelnet_negotiations_total{direction="received"}')).toBe(1);
    expect(sample(text, 'rxtelnet_negotiations_total{direction="sent"}')).toBe(1);
    expect(sample(text, 'rxtelnet_warnings_total{code="StraySE"}')).toBe(1);
    expect(sample(text, 'rxtelnet_compressed_bytes_sent_total')).toBe(0);
    expect(sample(text, 'rxtelnet_compression_ratio')).toBe(0);
    // A second scrape reads the counters again rather than adding them up twice.
    expect(sample(await registry.metrics(), 'rxtelnet_connections_accepted_total')).toBe(2);
  });

  it('adds to a given registry, under a given prefix', async () => {
    const registry = new Registry();
    expect(registerTelnetMetrics(createTelnetMetrics(), { registry, prefix: 'mud_' })).toBe(registry);
    const text = await registry.metrics();
    expect(sample(text, 'mud_connections_open')).toBe(0);
    expect(text).not.toContain('rxtelnet_');
  });
});

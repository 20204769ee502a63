/**
 * `rxtelnet serve` in production: Prometheus metrics on --metrics-port, the graceful drain on SIGTERM (clients
 * told and closed properly, MCCP2 included, exit 0), and --workers N with node:cluster. The built command, on
 * loopback.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stopAllPeers } from '../interop/harness.js';
import type { PeerProcess } from '../interop/harness.js';
import { BUILD_TIMEOUT_MS, buildCliIfStale, portIn, spawnCli } from './built-cli.js';

beforeAll(() => {
  buildCliIfStale();
}, BUILD_TIMEOUT_MS);

const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopAllPeers();
});

const env = { ...process.env, TERM: 'xterm-256color' };

interface Serving {
  readonly serve: PeerProcess;
  readonly port: number;
  readonly metricsPort: number;
}

const startServe = async (extra: readonly string[]): Promise<Serving> => {
  const serve = spawnCli(['serve', '--port', '0', '--metrics-port', '0', ...extra], 60_000);
  const listening = await serve.waitForLine((l) => l.startsWith('rxtelnet demo MUD listening on'), {
    timeoutMs: 15_000,
  });
  const metrics = await serve.waitForLine((l) => l.startsWith('metrics on http://127.0.0.1:'), { timeoutMs: 15_000 });
  const metricsPort = Number(/127\.0\.0\.1:(\d+)\/metrics$/.exec(metrics)?.[1]);
  return { serve, port: portIn(listening.replace(/ \(\d+ workers\)$/, '')), metricsPort };
};

/** One sample of the exposition text (`name{labels} value`). */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const scrape = async (port: number): Promise<string> => {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};

const rawClient = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('data', () => undefined);
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });

const until = async (check: () => Promise<boolean>): Promise<void> => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('rxtelnet serve in production', () => {
  it('serves metrics, and on SIGTERM tells every client, closes them properly and exits 0', async () => {
    const { serve, port, metricsPort } = await startServe([]);
    const ada = spawnCli(['connect', '127.0.0.1', String(port)], 30_000, env);
    ada.write('Ada\npw\n');
    await serve.waitForLine((line) => line.endsWith('Ada entered the game'));
    // The demo allows 8 connections per address: Ada and 7 more are accepted, the 9th refused.
    for (let n = 0; n < 7; n++) await rawClient(port);
    const refused = await rawClient(port);
    await new Promise((resolve) => refused.once('close', resolve));
    await until(async () => sample(await scrape(metricsPort), 'rxtelnet_connections_open') === 8);

    const text = await scrape(metricsPort);
    expect(text).toContain('# TYPE rxtelnet_connections_accepted_total counter');
    expect(sample(text, 'rxtelnet_connections_accepted_total')).toBe(8);
    expect(sample(text, 'rxtelnet_connections_refused_total{reason="MaxConnectionsPerAddress"}')).toBe(1);
    expect(sample(text, 'rxtelnet_bytes_sent_total')).toBeGreaterThan(0);
    expect(sample(text, 'rxtelnet_bytes_received_total')).toBeGreaterThan(0);
    expect(sample(text, 'rxtelnet_negotiations_total{direction="received"}')).toBeGreaterThan(0);
    // Ada's client asked for MCCP2: the server's output to it is compressed.
    expect(sample(text, 'rxtelnet_compressed_bytes_sent_total')).toBeGreaterThan(0);
    // Short interactive writes, each flushed, may compress to about their own size: the ratio is what it is.
    const uncompressed = sample(text, 'rxtelnet_uncompressed_bytes_sent_total') ?? 0;
    expect(uncompressed).toBeGreaterThan(0);
    expect(sample(text, 'rxtelnet_compression_ratio')).toBeCloseTo(
      uncompressed / (sample(text, 'rxtelnet_compressed_bytes_sent_total') ?? 1),
    );
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);

    process.kill(serve.pid, 'SIGTERM');
    await ada.waitForLine((line) => line.includes('The server is shutting down. Goodbye!'));
    // The client's inflater saw the compressed stream end cleanly: a truncated one would be an error, not exit 0.
    expect((await ada.exited).code, ada.tail()).toBe(0);
    expect((await serve.exited).code, serve.tail()).toBe(0);
    expect(serve.lines).toContain('drained: 8 closed properly, 0 forced');
  });

  it("--workers 2: who lists the worker's players, metrics add up over the workers, SIGTERM drains them all", async () => {
    const { serve, port, metricsPort } = await startServe(['--workers', '2']);
    const ada = spawnCli(['connect', '127.0.0.1', String(port)], 30_000, env);
    ada.write('Ada\npw\nwho\n');
    await ada.waitForLine((line) => /Players online in worker \d of 2 \(each worker lists its own\):/.test(line));
    await ada.waitForLine((line) => line.includes('Ada (Town Square)'));
    await until(async () => sample(await scrape(metricsPort), 'rxtelnet_connections_accepted_total') === 1);
    await rawClient(port);
    await until(async () => sample(await scrape(metricsPort), 'rxtelnet_connections_open') === 2);

    process.kill(serve.pid, 'SIGTERM');
    await ada.waitForLine((line) => line.includes('The server is shutting down. Goodbye!'));
    expect((await ada.exited).code, ada.tail()).toBe(0);
    expect((await serve.exited).code, serve.tail()).toBe(0);
    expect(serve.lines.filter((line) => line.endsWith('forced')).length).toBe(2);
  });
});

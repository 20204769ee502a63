/**
 * The `--metrics-port` endpoint: `GET /metrics` in the Prometheus text format, on 127.0.0.1 only.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the metrics come from: prom-client's `registry.metrics()` (or `clusterMetrics()`) and its content type. */
export interface MetricsSource {
  readonly text: () => Promise<string>;
  readonly contentType: string;
}

/** A listening metrics endpoint. */
export interface MetricsEndpoint {
  readonly port: number;
  readonly close: () => void;
}

const answer =
  (source: MetricsSource): Parameters<typeof createServer>[1] =>
  (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    source.text().then(
      (text) => {
        response.writeHead(200, { 'content-type': source.contentType }).end(request.method === 'HEAD' ? '' : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${String(error)}\n`);
      },
    );
  };

/** Listens on 127.0.0.1:`port` (0: a free port); rejects with the listen error (e.g. `EADDRINUSE`). */
export const serveMetrics = (port: number, source: MetricsSource): Promise<MetricsEndpoint> =>
  new Promise((resolve, reject) => {
    const server: Server = createServer(answer(source));
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          server.close();
          server.closeAllConnections();
        },
      });
    });
  });

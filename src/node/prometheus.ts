/**
 * A {@link TelnetMetrics} shown to Prometheus through prom-client: counters and gauges read from a snapshot at
 * each scrape.
 *
 * @module
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { TelnetMetrics, TelnetMetricsSnapshot } from '../session/metrics.js';

/**
 * Where {@link registerTelnetMetrics} puts the metrics.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import type { RegisterTelnetMetricsOptions } from 'rxtelnet/node';
 * const options: RegisterTelnetMetricsOptions = { registry: new Registry(), prefix: 'mud_' };
 * ```
 */
export interface RegisterTelnetMetricsOptions {
  /** The prom-client registry to add them to. Default: a new one (prom-client's global `register` is not used). */
  readonly registry?: Registry;
  /** Put before every metric name. Default `'rxtelnet_'`. */
  readonly prefix?: string;
}

type Counts = Readonly<Record<string, number>>;

/** A counter whose value is a number of the snapshot. */
interface Total {
  readonly name: string;
  readonly help: string;
  readonly value: (snapshot: TelnetMetricsSnapshot) => number;
}

/** A counter whose values are counts of the snapshot by one label. */
interface Labelled {
  readonly name: string;
  readonly help: string;
  readonly label: string;
  readonly counts: (snapshot: TelnetMetricsSnapshot) => Counts;
}

const totals: readonly Total[] = [
  { name: 'connections_accepted_total', help: 'Telnet connections accepted.', value: (s) => s.connectionsAccepted },
  { name: 'bytes_received_total', help: 'Bytes received on the wire.', value: (s) => s.bytesReceived },
  { name: 'bytes_sent_total', help: 'Bytes sent on the wire.', value: (s) => s.bytesSent },
  {
    name: 'compressed_bytes_received_total',
    help: 'Bytes received inside MCCP compressed streams.',
    value: (s) => s.compressedBytesReceived,
  },
  {
    name: 'inflated_bytes_received_total',
    help: 'What the MCCP streams received inflated to.',
    value: (s) => s.inflatedBytesReceived,
  },
  {
    name: 'compressed_bytes_sent_total',
    help: 'Bytes sent inside MCCP compressed streams.',
    value: (s) => s.compressedBytesSent,
  },
  {
    name: 'uncompressed_bytes_sent_total',
    help: 'Bytes put into MCCP compressed streams, before compression.',
    value: (s) => s.uncompressedBytesSent,
  },
];

const labelled: readonly Labelled[] = [
  {
    name: 'connections_refused_total',
    help: 'Connections refused, by the limit that refused them.',
    label: 'reason',
    counts: (s) => s.connectionsRefused,
  },
  {
    name: 'connections_closed_total',
    help: 'Connections closed, by reason.',
    label: 'reason',
    counts: (s) => s.connectionsClosed,
  },
  { name: 'warnings_total', help: 'Protocol warnings, by code.', label: 'code', counts: (s) => s.warnings },
  {
    name: 'negotiations_total',
    help: 'WILL/WONT/DO/DONT commands, by direction.',
    label: 'direction',
    counts: (s) => ({ received: s.negotiationsReceived, sent: s.negotiationsSent }),
  },
];

/** Uncompressed bytes per compressed byte sent; 0 before any compressed output. */
const compressionRatio = (snapshot: TelnetMetricsSnapshot): number =>
  snapshot.compressedBytesSent === 0 ? 0 : snapshot.uncompressedBytesSent / snapshot.compressedBytesSent;

/**
 * Adds the metrics of `metrics` to a prom-client registry and returns it: `rxtelnet_connections_open` (gauge),
 * `rxtelnet_connections_accepted_total`, `rxtelnet_connections_refused_total{reason}`,
 * `rxtelnet_connections_closed_total{reason}`, `rxtelnet_bytes_received_total`, `rxtelnet_bytes_sent_total`,
 * the MCCP byte counters (`rxtelnet_compressed_bytes_sent_total`, `rxtelnet_uncompressed_bytes_sent_total` and
 * their `received`/`inflated` pair), `rxtelnet_compression_ratio` (gauge: uncompressed per compressed byte
 * sent), `rxtelnet_negotiations_total{direction}` and `rxtelnet_warnings_total{code}`. Their values are read
 * from a snapshot at each scrape. Counters and gauges sum across cluster workers under prom-client's
 * `AggregatorRegistry`, the ratio averages.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createTelnetMetrics } from 'rxtelnet';
 * import { listenTelnet, registerTelnetMetrics } from 'rxtelnet/node';
 *
 * const metrics = createTelnetMetrics();
 * const registry = registerTelnetMetrics(metrics);
 * listenTelnet({ port: 4000 }).pipe(metrics.track()).subscribe();
 * createServer((request, response) => {
 *   void registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text));
 * }).listen(9464, '127.0.0.1');
 * ```
 */
export const registerTelnetMetrics = (metrics: TelnetMetrics, options: RegisterTelnetMetricsOptions = {}): Registry => {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'rxtelnet_';
  const registers = [registry];
  new Gauge({
    name: `${prefix}connections_open`,
    help: 'Telnet connections open now.',
    registers,
    collect() {
      this.set(metrics.snapshot().connectionsOpen);
    },
  });
  new Gauge({
    name: `${prefix}compression_ratio`,
    help: 'Bytes put into MCCP compressed streams per compressed byte sent (0 before any).',
    registers,
    aggregator: 'average',
    collect() {
      this.set(compressionRatio(metrics.snapshot()));
    },
  });
  for (const { name, help, value } of totals) {
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value(metrics.snapshot()));
      },
    });
  }
  for (const { name, help, label, counts } of labelled) {
    new Counter({
      name: `${prefix}${name}`,
      help,
      labelNames: [label],
      registers,
      collect() {
        this.reset();
        for (const [key, count] of Object.entries(counts(metrics.snapshot()))) this.inc({ [label]: key }, count);
      },
    });
  }
  return registry;
};

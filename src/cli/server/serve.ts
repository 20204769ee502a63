/**
 * `rxtelnet serve` as a process: one server, or a node:cluster primary with `--workers N` servers sharing the
 * port; Prometheus metrics with `--metrics-port`; a graceful drain on SIGTERM or SIGINT, then exit 0.
 *
 * With workers, each keeps its own realm (accounts, who is online: `who` says so) and its own limits; the
 * primary only forks, forwards the stop signal and aggregates the metrics (prom-client's AggregatorRegistry
 * over the cluster's own IPC channel).
 *
 * @module
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import process from 'node:process';
import { AggregatorRegistry } from 'prom-client';
import { registerTelnetMetrics } from '../../node/index.js';
import { formatTarget } from '../args.js';
import type { ServeCommand } from '../args.js';
import { serveMetrics } from './metrics-http.js';
import type { MetricsEndpoint, MetricsSource } from './metrics-http.js';
import { startServer } from './server.js';

/** Resolves on the first SIGTERM or SIGINT; later ones are ignored while the drain (bounded) runs. */
const untilStopped = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

const metricsEndpoint = async (
  command: ServeCommand,
  source: MetricsSource,
  log: (line: string) => void,
): Promise<MetricsEndpoint | undefined> => {
  if (command.metricsPort === undefined) return undefined;
  const endpoint = await serveMetrics(command.metricsPort, source);
  log(`metrics on http://127.0.0.1:${endpoint.port}/metrics`);
  return endpoint;
};

/** One server in this process: the whole of `serve`, or one cluster worker. */
const runServer = async (command: ServeCommand, log: (line: string) => void): Promise<number> => {
  const worker = cluster.isWorker ? cluster.worker : undefined;
  const scope = worker === undefined ? undefined : `worker ${worker.id} of ${command.workers}`;
  const server = await startServer(
    {
      host: command.host,
      port: command.port,
      proxyProtocol: command.proxyProtocol === true,
      ...(scope === undefined ? {} : { scope }),
    },
    (line) => {
      log(scope === undefined ? line : `(${scope}) ${line}`);
    },
  );
  const registry = registerTelnetMetrics(server.metrics);
  let endpoint: MetricsEndpoint | undefined;
  if (worker === undefined) {
    log(`rxtelnet demo MUD listening on ${formatTarget(server.address.address, server.address.port)}`);
    endpoint = await metricsEndpoint(
      command,
      { text: () => registry.metrics(), contentType: registry.contentType },
      log,
    );
  } else {
    // The primary asks each worker for these. prom-client 15 installs the worker's answer in the constructor
    // of an AggregatorRegistry only, so one is made here too.
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }
  await untilStopped();
  await server.drain();
  endpoint?.close();
  return 0;
};

/** Resolves once `worker` has exited, with its exit code (1 when a signal ended it). */
const exitOf = (worker: Worker): Promise<number> =>
  new Promise((resolve) => {
    // Node passes a null code when a signal ended the process (its types say number).
    worker.once('exit', (code: number | null) => {
      resolve(code ?? 1);
    });
  });

/** The cluster primary: forks the workers, reports where they listen, drains them all on a signal. */
const runPrimary = async (command: ServeCommand, log: (line: string) => void): Promise<number> => {
  const aggregator = new AggregatorRegistry();
  const workers = new Map<Worker, Promise<number>>();
  let stopping = false;
  let listening = false;
  const fork = (): Promise<number> => {
    const worker = cluster.fork();
    const exited = exitOf(worker);
    workers.set(worker, exited);
    void exited.then((code) => {
      workers.delete(worker);
      // A worker that dies while serving is replaced; one that fails before the server listens ends it all.
      if (!stopping && listening) {
        log(`worker ${worker.id} exited (code ${code}): starting another`);
        void fork();
      }
    });
    return exited;
  };
  const started = new Promise<void>((resolve, reject) => {
    cluster.once('listening', (_worker, address) => {
      listening = true;
      log(`rxtelnet demo MUD listening on ${formatTarget(command.host, address.port)} (${command.workers} workers)`);
      resolve();
    });
    for (let n = 0; n < command.workers; n++) {
      void fork().then((code) => {
        if (!listening) reject(new Error(`a worker exited with code ${code} before listening`));
      });
    }
  });
  await started;
  const endpoint = await metricsEndpoint(
    command,
    { text: () => aggregator.clusterMetrics(), contentType: aggregator.contentType },
    log,
  );
  const signal = await untilStopped();
  stopping = true;
  log(`${signal}: draining ${workers.size} workers`);
  const codes = [...workers.entries()].map(([worker, exited]) => {
    worker.process.kill('SIGTERM');
    return exited;
  });
  const failed = (await Promise.all(codes)).filter((code) => code !== 0).length;
  endpoint?.close();
  return failed === 0 ? 0 : 1;
};

/** Runs `rxtelnet serve`; resolves with the exit code once drained. */
export const runServe = (command: ServeCommand, log: (line: string) => void): Promise<number> =>
  command.workers > 1 && cluster.isPrimary ? runPrimary(command, log) : runServer(command, log);

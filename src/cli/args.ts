/**
 * The command line of `rxtelnet`, parsed without dependencies into a tagged value.
 *
 * @module
 */

/** What the command line asks for. */
export type CliCommand =
  | { readonly _tag: 'Help' }
  | { readonly _tag: 'Version' }
  | { readonly _tag: 'Demo' }
  | { readonly _tag: 'Connect'; readonly host: string; readonly port: number; readonly trace: boolean }
  | ServeCommand
  | {
      readonly _tag: 'Proxy';
      readonly listenPort: number;
      readonly host: string;
      readonly port: number;
      /** `--log-passwords`: log what the client types while the server echoes instead of a mask. */
      readonly logPasswords: boolean;
    }
  | GatewayCommand;

/** `rxtelnet serve`: the demo MUD, in one process or several. */
export interface ServeCommand {
  readonly _tag: 'Serve';
  readonly host: string;
  readonly port: number;
  /** Worker processes (node:cluster) sharing the port; 1: no cluster. */
  readonly workers: number;
  /** Serve Prometheus metrics at http://127.0.0.1:PORT/metrics. */
  readonly metricsPort?: number;
  /** `--proxy-protocol`: every connection starts with a load balancer's PROXY header. */
  readonly proxyProtocol?: true;
}

/** The most `--workers` accepted: more processes than this only compete for the cores. */
export const MAX_WORKERS = 64;

/** `rxtelnet gateway`: a WebSocket-to-Telnet bridge, optionally serving the example web client. */
export interface GatewayCommand {
  readonly _tag: 'Gateway';
  /** Where the WebSocket server listens. */
  readonly host: string;
  readonly port: number;
  /** The Telnet server. */
  readonly to: { readonly host: string; readonly port: number };
  /** Serve the example web client at `/`. */
  readonly web: boolean;
  /** Allowed page origins (`--origin`, comma-separated); absent: any. */
  readonly origins?: readonly string[];
  readonly maxPerAddress?: number;
  /** Seconds. */
  readonly idleTimeout?: number;
  /** PEM files for wss:// (both or neither). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** A command line that cannot be run, with a one-line reason. */
export interface UsageError {
  readonly _tag: 'UsageError';
  readonly message: string;
}

/** `parseArgs`'s answer: the command, or why the command line is wrong. */
export type ParsedArgs = CliCommand | UsageError;

/** The port `serve` listens on when `--port` is not given. */
export const DEFAULT_SERVE_PORT = 4000;

/**
 * The text `rxtelnet --help` prints.
 *
 * @example
 * ```text
 * import { usage } from './args.js';
 * process.stdout.write(usage);
 * ```
 */
export const usage = `Usage:
  rxtelnet connect HOST PORT [--trace]   interactive Telnet client (Ctrl-] then "quit" to leave)
  rxtelnet serve [--port P] [--host H]   a small demo MUD (default 127.0.0.1:${DEFAULT_SERVE_PORT}; --port 0 picks a free port)
        [--workers N]                    N processes sharing the port (node:cluster; default 1)
        [--metrics-port P]               Prometheus metrics at http://127.0.0.1:P/metrics
                                         SIGTERM or Ctrl-C: clients are told, closed properly, exit 0
                 [--proxy-protocol]      behind HAProxy & co: read the PROXY header (v1/v2) of each connection
  rxtelnet proxy LISTEN_PORT HOST PORT [--log-passwords]
                                         relay a client to HOST:PORT, logging every event both ways; what the
                                         client types while the server echoes (passwords) is logged as ********
                                         unless --log-passwords
  rxtelnet gateway --port P --to HOST:PORT [--web] [--host H] [--origin URL,...] [--max-per-address N]
                   [--idle-timeout SECONDS] [--tls-cert FILE --tls-key FILE]
                                         WebSocket-to-Telnet bridge for browsers (--web: serve the web client)
  rxtelnet                               demo: serve on a free port and connect to it with --trace
  rxtelnet --help                        this text
  rxtelnet --version                     the version

HOST is a name or an address; an IPv6 address may be written in brackets ([::1]).

--trace prints every negotiation, command and subnegotiation on stderr:
  "<<" for what the server sent, ">>" for what we sent.
`;

const usageError = (message: string): UsageError => ({ _tag: 'UsageError', message });

/**
 * `host:port` as people write it, with an IPv6 address in brackets.
 *
 * @example
 * ```text
 * formatTarget('::1', 4100); // '[::1]:4100'
 * formatTarget('localhost', 4100); // 'localhost:4100'
 * ```
 */
export const formatTarget = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** A HOST argument: a name or an address, an IPv6 address optionally in brackets (`[::1]`). */
const parseHost = (text: string, what: string): string | UsageError => {
  const bracketed = /^\[([0-9A-Fa-f:.%\w-]*)\]$/.exec(text);
  const host = bracketed === null ? text : (bracketed[1] ?? '');
  if (host === '') return usageError(`${what} must not be empty`);
  if (host.includes('[') || host.includes(']')) return usageError(`${what} has unbalanced brackets: '${text}'`);
  return host;
};

/** A TCP port: decimal digits only, 0..65535 when `allowZero`, else 1..65535. */
const parsePort = (text: string, what: string, allowZero: boolean): number | UsageError => {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  const lowest = allowZero ? 0 : 1;
  return port >= lowest && port <= 65535
    ? port
    : usageError(`${what} must be a port number (${lowest}-65535), got '${text}'`);
};

const isUsageError = (value: unknown): value is UsageError =>
  typeof value === 'object' && value !== null && '_tag' in value && value._tag === 'UsageError';

/** Splits `--name=value` into `--name` and `value`; other arguments come back as they are. */
const splitFlag = (arg: string): readonly [string, string | undefined] => {
  const equals = arg.indexOf('=');
  return arg.startsWith('--') && equals > 2 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
};

/** Flags and positional arguments of one subcommand, checked against the flags it knows. */
interface Scanned {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

const scan = (
  args: readonly string[],
  command: string,
  known: Readonly<Record<string, 'switch' | 'value'>>,
): Scanned | UsageError => {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < args.length; index++) {
    const [name, inline] = splitFlag(args[index] ?? '');
    if (name === '--') {
      positional.push(...args.slice(index + 1));
      break;
    }
    if (!name.startsWith('-') || name === '-') {
      positional.push(name);
      continue;
    }
    const kind = known[name];
    if (kind === undefined) return usageError(`unknown option '${name}' for '${command}'`);
    if (kind === 'switch') {
      if (inline !== undefined) return usageError(`option '${name}' takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = inline ?? args[index + 1];
    if (value === undefined) return usageError(`option '${name}' needs a value`);
    if (inline === undefined) index++;
    flags.set(name, value);
  }
  return { positional, flags };
};

const arity = (command: string, expected: string, got: number): UsageError =>
  usageError(`'${command}' takes ${expected}, got ${got} argument${got === 1 ? '' : 's'}`);

const parseConnect = (args: readonly string[]): ParsedArgs => {
  const scanned = scan(args, 'connect', { '--trace': 'switch' });
  if (isUsageError(scanned)) return scanned;
  const [host, portText, ...extra] = scanned.positional;
  if (host === undefined || portText === undefined || extra.length > 0) {
    return arity('connect', 'HOST PORT', scanned.positional.length);
  }
  const parsedHost = parseHost(host, 'HOST');
  if (isUsageError(parsedHost)) return parsedHost;
  const port = parsePort(portText, 'PORT', false);
  return isUsageError(port) ? port : { _tag: 'Connect', host: parsedHost, port, trace: scanned.flags.has('--trace') };
};

const parseServe = (args: readonly string[]): ParsedArgs => {
  const scanned = scan(args, 'serve', {
    '--port': 'value',
    '--host': 'value',
    '--workers': 'value',
    '--metrics-port': 'value',
    '--proxy-protocol': 'switch',
  });
  if (isUsageError(scanned)) return scanned;
  if (scanned.positional.length > 0)
    return arity('serve', 'no arguments besides its options', scanned.positional.length);
  const workersFlag = scanned.flags.get('--workers');
  const workers = typeof workersFlag === 'string' ? positiveInteger(workersFlag, '--workers') : 1;
  if (isUsageError(workers)) return workers;
  if (workers > MAX_WORKERS) return usageError(`--workers must be at most ${MAX_WORKERS}, got ${workers}`);
  const metricsFlag = scanned.flags.get('--metrics-port');
  const metricsPort = typeof metricsFlag === 'string' ? parsePort(metricsFlag, '--metrics-port', true) : undefined;
  if (isUsageError(metricsPort)) return metricsPort;
  const portFlag = scanned.flags.get('--port');
  const hostFlag = scanned.flags.get('--host');
  const port = typeof portFlag === 'string' ? parsePort(portFlag, '--port', true) : DEFAULT_SERVE_PORT;
  if (isUsageError(port)) return port;
  const host = typeof hostFlag === 'string' ? parseHost(hostFlag, '--host') : '127.0.0.1';
  if (isUsageError(host)) return host;
  return {
    _tag: 'Serve',
    host,
    port,
    workers,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    ...(scanned.flags.has('--proxy-protocol') ? { proxyProtocol: true } : {}),
  };
};

const parseProxy = (args: readonly string[]): ParsedArgs => {
  const scanned = scan(args, 'proxy', { '--log-passwords': 'switch' });
  if (isUsageError(scanned)) return scanned;
  const [listenText, host, portText, ...extra] = scanned.positional;
  if (listenText === undefined || host === undefined || portText === undefined || extra.length > 0) {
    return arity('proxy', 'LISTEN_PORT HOST PORT', scanned.positional.length);
  }
  const listenPort = parsePort(listenText, 'LISTEN_PORT', true);
  if (isUsageError(listenPort)) return listenPort;
  const parsedHost = parseHost(host, 'HOST');
  if (isUsageError(parsedHost)) return parsedHost;
  const port = parsePort(portText, 'PORT', false);
  return isUsageError(port)
    ? port
    : { _tag: 'Proxy', listenPort, host: parsedHost, port, logPasswords: scanned.flags.has('--log-passwords') };
};

const positiveInteger = (text: string, what: string): number | UsageError =>
  /^\d{1,9}$/.test(text) && Number(text) > 0
    ? Number(text)
    : usageError(`${what} must be a positive integer, got '${text}'`);

const parseGateway = (args: readonly string[]): ParsedArgs => {
  const scanned = scan(args, 'gateway', {
    '--port': 'value',
    '--host': 'value',
    '--to': 'value',
    '--web': 'switch',
    '--origin': 'value',
    '--max-per-address': 'value',
    '--idle-timeout': 'value',
    '--tls-cert': 'value',
    '--tls-key': 'value',
  });
  if (isUsageError(scanned)) return scanned;
  if (scanned.positional.length > 0) return arity('gateway', 'options only', scanned.positional.length);
  const value = (name: string): string | undefined => {
    const flag = scanned.flags.get(name);
    return typeof flag === 'string' ? flag : undefined;
  };
  const portText = value('--port');
  if (portText === undefined) return usageError("'gateway' needs --port");
  const port = parsePort(portText, '--port', true);
  if (isUsageError(port)) return port;
  const to = value('--to');
  const match = to === undefined ? null : /^(.+):(\d{1,5})$/.exec(to);
  if (match === null) return usageError("'gateway' needs --to HOST:PORT, the Telnet server");
  const toPort = parsePort(match[2] ?? '', '--to port', false);
  if (isUsageError(toPort)) return toPort;
  const toHost = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  const host = value('--host') ?? '127.0.0.1';
  if (host === '') return usageError('--host must not be empty');
  const origins = value('--origin')
    ?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  const maxText = value('--max-per-address');
  const maxPerAddress = maxText === undefined ? undefined : positiveInteger(maxText, '--max-per-address');
  if (isUsageError(maxPerAddress)) return maxPerAddress;
  const idleText = value('--idle-timeout');
  const idleTimeout = idleText === undefined ? undefined : positiveInteger(idleText, '--idle-timeout');
  if (isUsageError(idleTimeout)) return idleTimeout;
  const cert = value('--tls-cert');
  const key = value('--tls-key');
  if ((cert === undefined) !== (key === undefined)) return usageError('--tls-cert and --tls-key go together');
  return {
    _tag: 'Gateway',
    host,
    port,
    to: { host: toHost, port: toPort },
    web: scanned.flags.has('--web'),
    ...(origins === undefined ? {} : { origins }),
    ...(maxPerAddress === undefined ? {} : { maxPerAddress }),
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    ...(cert === undefined || key === undefined ? {} : { tls: { cert, key } }),
  };
};

/**
 * Parses the arguments after `node main.js`. Never throws: a bad command line gives a {@link UsageError}.
 *
 * @example
 * ```text
 * import { parseArgs } from './args.js';
 * parseArgs(['connect', 'localhost', '4000', '--trace']);
 * // { _tag: 'Connect', host: 'localhost', port: 4000, trace: true }
 * parseArgs(['connect', 'localhost']); // { _tag: 'UsageError', message: "'connect' takes HOST PORT, got 1 argument" }
 * ```
 */
export const parseArgs = (argv: readonly string[]): ParsedArgs => {
  const [command, ...rest] = argv;
  if (command === undefined) return { _tag: 'Demo' };
  if (argv.includes('--help') || argv.includes('-h') || command === 'help') return { _tag: 'Help' };
  if (command === '--version' || command === '-V' || command === 'version') {
    return rest.length === 0 ? { _tag: 'Version' } : arity('--version', 'no arguments', rest.length);
  }
  switch (command) {
    case 'connect':
      return parseConnect(rest);
    case 'serve':
      return parseServe(rest);
    case 'proxy':
      return parseProxy(rest);
    case 'gateway':
      return parseGateway(rest);
    default:
      return usageError(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`);
  }
};

import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVE_PORT, formatTarget, MAX_WORKERS, parseArgs, usage } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it('runs the demo without arguments', () => {
    expect(parseArgs([])).toEqual({ _tag: 'Demo' });
  });

  it.each([[['--help']], [['-h']], [['help']], [['connect', '--help']], [['serve', 'x', '-h']]])(
    'asks for help with %j',
    (argv) => {
      expect(parseArgs(argv)).toEqual({ _tag: 'Help' });
    },
  );

  it('parses connect with and without --trace, the flag anywhere', () => {
    expect(parseArgs(['connect', 'mud.example', '4000'])).toEqual({
      _tag: 'Connect',
      host: 'mud.example',
      port: 4000,
      trace: false,
    });
    expect(parseArgs(['connect', '--trace', '::1', '23'])).toEqual({
      _tag: 'Connect',
      host: '::1',
      port: 23,
      trace: true,
    });
    expect(parseArgs(['connect', 'h', '1', '--trace'])).toEqual({ _tag: 'Connect', host: 'h', port: 1, trace: true });
  });

  it.each([[['--version']], [['-V']], [['version']]])('asks for the version with %j', (argv) => {
    expect(parseArgs(argv)).toEqual({ _tag: 'Version' });
  });

  it('takes IPv6 addresses in brackets, and refuses unbalanced ones', () => {
    expect(parseArgs(['connect', '[::1]', '4100'])).toEqual({ _tag: 'Connect', host: '::1', port: 4100, trace: false });
    expect(parseArgs(['serve', '--host', '[::]'])).toEqual({
      _tag: 'Serve',
      host: '::',
      port: DEFAULT_SERVE_PORT,
      workers: 1,
    });
    expect(parseArgs(['proxy', '0', '[fe80::1%lo]', '23'])).toEqual({
      _tag: 'Proxy',
      listenPort: 0,
      host: 'fe80::1%lo',
      port: 23,
      logPasswords: false,
    });
    expect(parseArgs(['connect', '[::1', '23'])).toEqual({
      _tag: 'UsageError',
      message: "HOST has unbalanced brackets: '[::1'",
    });
    expect(parseArgs(['connect', '[]', '23'])).toEqual({ _tag: 'UsageError', message: 'HOST must not be empty' });
  });

  it('writes targets with IPv6 addresses in brackets', () => {
    expect(formatTarget('::1', 4100)).toBe('[::1]:4100');
    expect(formatTarget('127.0.0.1', 23)).toBe('127.0.0.1:23');
  });

  it('parses serve --proxy-protocol', () => {
    expect(parseArgs(['serve', '--proxy-protocol', '--port', '0'])).toEqual({
      _tag: 'Serve',
      host: '127.0.0.1',
      port: 0,
      workers: 1,
      proxyProtocol: true,
    });
    expect(parseArgs(['serve', '--proxy-protocol=yes'])).toMatchObject({ _tag: 'UsageError' });
  });

  it('parses serve with defaults, separate and inline values', () => {
    expect(parseArgs(['serve'])).toEqual({ _tag: 'Serve', host: '127.0.0.1', port: DEFAULT_SERVE_PORT, workers: 1 });
    expect(parseArgs(['serve', '--port', '0'])).toEqual({ _tag: 'Serve', host: '127.0.0.1', port: 0, workers: 1 });
    expect(parseArgs(['serve', '--port=5000', '--host', '0.0.0.0'])).toEqual({
      _tag: 'Serve',
      host: '0.0.0.0',
      port: 5000,
      workers: 1,
    });
  });

  it('parses serve --workers and --metrics-port, and refuses bad values', () => {
    expect(parseArgs(['serve', '--workers', '4', '--metrics-port=9464'])).toEqual({
      _tag: 'Serve',
      host: '127.0.0.1',
      port: DEFAULT_SERVE_PORT,
      workers: 4,
      metricsPort: 9464,
    });
    expect(parseArgs(['serve', '--workers', '0'])).toEqual({
      _tag: 'UsageError',
      message: "--workers must be a positive integer, got '0'",
    });
    expect(parseArgs(['serve', '--workers', 'two'])).toMatchObject({ _tag: 'UsageError' });
    expect(parseArgs(['serve', '--workers', String(MAX_WORKERS + 1)])).toEqual({
      _tag: 'UsageError',
      message: `--workers must be at most ${MAX_WORKERS}, got ${MAX_WORKERS + 1}`,
    });
    expect(parseArgs(['serve', '--metrics-port', '70000'])).toMatchObject({ _tag: 'UsageError' });
    expect(parseArgs(['serve', '--metrics-port'])).toEqual({
      _tag: 'UsageError',
      message: "option '--metrics-port' needs a value",
    });
  });

  it('parses proxy', () => {
    expect(parseArgs(['proxy', '0', 'localhost', '4000'])).toEqual({
      _tag: 'Proxy',
      listenPort: 0,
      host: 'localhost',
      port: 4000,
      logPasswords: false,
    });
    expect(parseArgs(['proxy', '--log-passwords', '0', 'localhost', '4000'])).toMatchObject({ logPasswords: true });
  });

  it('parses gateway with defaults and with every option', () => {
    expect(parseArgs(['gateway', '--port', '8080', '--to', 'mud.example:4000'])).toEqual({
      _tag: 'Gateway',
      host: '127.0.0.1',
      port: 8080,
      to: { host: 'mud.example', port: 4000 },
      web: false,
    });
    expect(
      parseArgs([
        'gateway',
        '--port=0',
        '--to=[::1]:23',
        '--web',
        '--host',
        '0.0.0.0',
        '--origin',
        'https://a.example, https://b.example',
        '--max-per-address',
        '3',
        '--idle-timeout',
        '600',
        '--tls-cert',
        'cert.pem',
        '--tls-key',
        'key.pem',
      ]),
    ).toEqual({
      _tag: 'Gateway',
      host: '0.0.0.0',
      port: 0,
      to: { host: '::1', port: 23 },
      web: true,
      origins: ['https://a.example', 'https://b.example'],
      maxPerAddress: 3,
      idleTimeout: 600,
      tls: { cert: 'cert.pem', key: 'key.pem' },
    });
  });

  it('treats what follows -- as positional', () => {
    expect(parseArgs(['connect', '--', 'host', '23'])).toEqual({
      _tag: 'Connect',
      host: 'host',
      port: 23,
      trace: false,
    });
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['--bogus'], "unknown option '--bogus'"],
    [['connect'], "'connect' takes HOST PORT, got 0 arguments"],
    [['connect', 'host'], "'connect' takes HOST PORT, got 1 argument"],
    [['connect', 'host', '23', 'extra'], "'connect' takes HOST PORT, got 3 arguments"],
    [['connect', 'host', '0'], "PORT must be a port number (1-65535), got '0'"],
    [['connect', 'host', '65536'], "PORT must be a port number (1-65535), got '65536'"],
    [['connect', 'host', '23x'], "PORT must be a port number (1-65535), got '23x'"],
    [['connect', 'host', '-5'], "unknown option '-5' for 'connect'"],
    [['connect', '', '23'], 'HOST must not be empty'],
    [['connect', 'h', '23', '--trace=yes'], "option '--trace' takes no value"],
    [['connect', 'h', '23', '--port', '1'], "unknown option '--port' for 'connect'"],
    [['serve', '--port'], "option '--port' needs a value"],
    [['serve', '--port', 'http'], "--port must be a port number (0-65535), got 'http'"],
    [['serve', '--host='], '--host must not be empty'],
    [['serve', 'extra'], "'serve' takes no arguments besides its options, got 1 argument"],
    [['proxy', '4000', 'host'], "'proxy' takes LISTEN_PORT HOST PORT, got 2 arguments"],
    [['proxy', 'x', 'host', '23'], "LISTEN_PORT must be a port number (0-65535), got 'x'"],
    [['proxy', '4000', 'host', '0'], "PORT must be a port number (1-65535), got '0'"],
    [['gateway', '--to', 'h:23'], "'gateway' needs --port"],
    [['gateway', '--port', '8080'], "'gateway' needs --to HOST:PORT, the Telnet server"],
    [['gateway', '--port', '8080', '--to', 'h'], "'gateway' needs --to HOST:PORT, the Telnet server"],
    [['gateway', '--port', '8080', '--to', 'h:0'], "--to port must be a port number (1-65535), got '0'"],
    [
      ['gateway', '--port', '8080', '--to', 'h:23', '--idle-timeout', '0'],
      "--idle-timeout must be a positive integer, got '0'",
    ],
    [['gateway', '--port', '8080', '--to', 'h:23', '--tls-cert', 'c.pem'], '--tls-cert and --tls-key go together'],
    [['gateway', '--port', '8080', '--to', 'h:23', 'extra'], "'gateway' takes options only, got 1 argument"],
  ])('rejects %j', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ _tag: 'UsageError', message });
  });

  it('documents every subcommand in the usage text', () => {
    for (const command of [
      'connect HOST PORT [--trace]',
      'serve [--port P] [--host H]',
      'proxy LISTEN_PORT HOST PORT',
      'gateway --port P --to HOST:PORT [--web]',
      '--help',
    ]) {
      expect(usage).toContain(command);
    }
  });
});

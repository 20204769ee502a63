import { describe, expect, it } from 'vitest';
import { interpretEscapeCommand, escapeHelp } from '../../src/cli/escape-command.js';
import { describeFailure } from '../../src/cli/failure.js';
import { CLIENT_NAME, mttsBitsOf, terminalTypes } from '../../src/cli/terminal-types.js';

const failure = (code: string): Error => Object.assign(new Error(`${code} details\nstack-like second line`), { code });

describe('terminalTypes', () => {
  it('answers the client name, $TERM, then the MTTS bits', () => {
    expect(terminalTypes({ TERM: 'xterm-256color' })).toEqual([CLIENT_NAME, 'xterm-256color', 'MTTS 15']);
    expect(terminalTypes({ TERM: 'dumb' })).toEqual(['RXTELNET', 'dumb', 'MTTS 5']);
    expect(terminalTypes({})).toEqual(['RXTELNET', 'ANSI', 'MTTS 5']);
    expect(terminalTypes({ TERM: '' })[1]).toBe('ANSI');
  });

  it('claims truecolor (and 256 colours) from COLORTERM', () => {
    expect(mttsBitsOf({ TERM: 'xterm', COLORTERM: 'truecolor' })).toBe(1 | 2 | 4 | 8 | 256);
    expect(mttsBitsOf({ TERM: 'linux', COLORTERM: '24bit' })).toBe(1 | 2 | 4 | 8 | 256);
  });
});

describe('interpretEscapeCommand', () => {
  it.each(['quit', ' QUIT ', 'close', 'q'])('quits on %j', (line) => {
    expect(interpretEscapeCommand(line, () => 'unused')).toEqual({ _tag: 'Quit' });
  });

  it('resumes on an empty line, shows help and status, and names unknown commands', () => {
    expect(interpretEscapeCommand('  ', () => 'unused')).toEqual({ _tag: 'Resume', message: '' });
    expect(interpretEscapeCommand('?', () => 'unused')).toEqual({ _tag: 'Resume', message: escapeHelp });
    expect(interpretEscapeCommand('status', () => 'all fine\n')).toEqual({ _tag: 'Resume', message: 'all fine\n' });
    expect(interpretEscapeCommand('open x', () => '')).toEqual({
      _tag: 'Resume',
      message: "unknown command 'open x' (try help)\n",
    });
  });
});

describe('describeFailure', () => {
  it.each([
    ['ECONNREFUSED', 'cannot connect to h:1: connection refused'],
    ['ENOTFOUND', 'cannot connect to h:1: unknown host'],
    ['EAI_AGAIN', 'cannot connect to h:1: unknown host'],
    ['ETIMEDOUT', 'cannot connect to h:1: timed out'],
    ['EHOSTUNREACH', 'cannot connect to h:1: unreachable'],
    ['EADDRINUSE', 'cannot listen on h:1: address already in use'],
    ['EACCES', 'cannot listen on h:1: permission denied'],
    ['EADDRNOTAVAIL', 'cannot listen on h:1: no such local address'],
  ])('%s -> %s', (code, message) => {
    expect(describeFailure(failure(code), 'h:1')).toBe(message);
  });

  it('says "cannot listen" for a server whatever the code, and "cannot connect" for a client', () => {
    expect(describeFailure(failure('ENOTFOUND'), 'nosuch:4000', 'listen')).toBe(
      'cannot listen on nosuch:4000: unknown host',
    );
    expect(describeFailure(failure('EADDRINUSE'), 'h:1', 'connect')).toBe(
      'cannot connect to h:1: address already in use',
    );
    expect(describeFailure(failure('ECONNREFUSED'), 'h:1', 'connect')).toBe(
      'cannot connect to h:1: connection refused',
    );
  });

  it('keeps the first line of other errors', () => {
    expect(describeFailure(failure('EWHATEVER'), 'h:1')).toBe('EWHATEVER details');
    expect(describeFailure('plain text', 'h:1')).toBe('plain text');
  });
});

/**
 * Where the real Telnet peers of the interop tests live, and a check that fails loudly when one is missing.
 * Every binary here comes from a Debian package that `.ci/install-peers.sh` installs.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute paths of the peer programs, by short name. */
export const PeerBinary = {
  /** Debian's Python, the one python3-twisted is installed for (the first `python3` on PATH may lack Twisted). */
  python3: '/usr/bin/python3',
  /** libtelnet's minimal client (libtelnet-utils). */
  telnetClient: '/usr/bin/telnet-client',
  /** libtelnet's chat server (libtelnet-utils). */
  telnetChatd: '/usr/bin/telnet-chatd',
  /** libtelnet's logging proxy (libtelnet-utils). */
  telnetProxy: '/usr/bin/telnet-proxy',
  /** GNU inetutils client (inetutils-telnet). */
  telnet: '/usr/bin/inetutils-telnet',
  /** GNU inetutils server (inetutils-telnetd), run by socat per connection. */
  telnetd: '/usr/sbin/telnetd',
  socat: '/usr/bin/socat',
  /** TinTin++ MUD client (tintin++). */
  tintin: '/usr/games/tt++',
  /** TinyFugue MUD client (tf5). */
  tf5: '/usr/bin/tf5',
  tmux: '/usr/bin/tmux',
  unshare: '/usr/bin/unshare',
  ip: '/usr/sbin/ip',
  stdbuf: '/usr/bin/stdbuf',
  /** Debian's Chromium (chromium), driven headless by puppeteer-core in spec/interop/browser.spec.ts. */
  chromium: '/usr/bin/chromium',
} as const;

/** A short name of {@link PeerBinary}. */
export type PeerName = keyof typeof PeerBinary;

/** The Twisted peer script (`server` / `client PORT` modes, JSON lines on stdout, JSON commands on stdin). */
export const twistedPeerScript: string = fileURLToPath(new URL('../interop/peers/twisted_peer.py', import.meta.url));

/** The path of a peer program; throws, naming the install script, when it is not installed or not executable. */
export const requirePeer = (name: PeerName): string => {
  const path = PeerBinary[name];
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`Interop peer '${name}' (${path}) is missing: run .ci/install-peers.sh first.`);
  }
  return path;
};

let twistedChecked = false;

/** Checks that Debian's Python can import Twisted and returns its path; throws, naming the install script, if not. */
export const requireTwisted = (): string => {
  const python = requirePeer('python3');
  if (twistedChecked) return python;
  const probe = spawnSync(python, ['-c', 'import twisted.conch.telnet'], { timeout: 10_000 });
  if (probe.status !== 0) {
    throw new Error(`Twisted is missing for ${python} (python3-twisted): run .ci/install-peers.sh first.`);
  }
  twistedChecked = true;
  return python;
};

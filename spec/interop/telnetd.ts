/**
 * GNU inetutils telnetd on 127.0.0.1, handed each connection by socat, running a login program of the test's
 * own (a shell script) instead of login(1). Call {@link removeLoginPrograms} after each test (with stopAllPeers).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeer } from '../helpers/peers.js';
import { freePort, PeerProcess, waitForListener } from './harness.js';

const workdirs: string[] = [];

/** Starts telnetd with `loginProgram` (the text of a shell script) as its login; resolves with the port. */
export const startTelnetd = async (loginProgram: string): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'rxtelnet-telnetd-'));
  workdirs.push(dir);
  const login = join(dir, 'login-program');
  writeFileSync(login, loginProgram);
  chmodSync(login, 0o755);
  const port = await freePort();
  PeerProcess.spawn(requirePeer('socat'), {
    args: [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `EXEC:${requirePeer('telnetd')} -h -E ${login}`],
    timeLimitMs: 30_000,
  });
  await waitForListener(port, 5_000);
  return port;
};

/** Deletes the login programs of the telnetd instances started so far. */
export const removeLoginPrograms = (): void => {
  for (const dir of workdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

// Imports the built package (dist/) with plain Node, as a user's program would, and exercises each entry point.
// This catches what vitest hides: ESM resolution of dist/ (e.g. fp-ts directory imports), missing exports.
// Writes a report for .ci/run when RXTELNET_REPORT_DIR is set.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';

const checks = [];
const check = (name, run) => checks.push({ name, run });

check('the root export decodes and encodes', async () => {
  const rx = await import('rxtelnet');
  const events = await lastValueFrom(from([Uint8Array.of(104, 105, 255, 249)]).pipe(rx.decodeTelnet(), toArray()));
  assert.deepEqual(
    events.map((event) => event._tag),
    ['Data', 'Command'],
  );
  assert.deepEqual(
    [...rx.encodeSubnegotiation(rx.TelnetOption.NAWS, rx.encodeNaws({ width: 255, height: 24 }))],
    [255, 250, 31, 0, 255, 255, 0, 24, 255, 240],
  );
  assert.equal(rx.decodeNaws(Uint8Array.of(0, 80)).left._tag, 'PayloadError');
});

check('rxtelnet/mud decodes GMCP and MSDP', async () => {
  const mud = await import('rxtelnet/mud');
  const gmcp = mud.decodeGmcp(new TextEncoder().encode('Char.Vitals {"hp":10}'));
  assert.deepEqual(gmcp.right, { name: 'Char.Vitals', json: { hp: 10 } });
  assert.equal(mud.decodeMsdp(Uint8Array.of(1, 65, 2, 66)).right[0].name, 'A');
});

check('rxtelnet/testing plays a script in virtual time', async () => {
  const kit = await import('rxtelnet/testing');
  const { value } = kit.testConnection([kit.sendText('Hi\n'), kit.expectText('ok\r\n')], {}, (connection) => {
    connection.write('ok\n');
    return kit.record(connection.data$);
  });
  assert.equal(value.values.map((bytes) => new TextDecoder().decode(bytes)).join(''), 'Hi\n');
  assert.throws(() => kit.testConnection([kit.expectText('yes')], {}, () => undefined), kit.ScriptTimeoutError);
});

check('two connections negotiate over memory transports', async () => {
  const rx = await import('rxtelnet');
  const [a, b] = rx.createMemoryTransports();
  const client = rx.createConnection(a, { policy: rx.policyOf({ local: [rx.TelnetOption.NAWS] }) });
  const server = rx.createConnection(b);
  assert.deepEqual(await firstValueFrom(server.do(rx.TelnetOption.NAWS)), {
    option: rx.TelnetOption.NAWS,
    side: 'remote',
    enabled: true,
  });
  await assert.rejects(firstValueFrom(server.do(rx.TelnetOption.ECHO)), rx.OptionRefusedError);
  client.loseConnection();
  await firstValueFrom(server.closed$);
});

check('both entry points share the one error family, transport errors included', async () => {
  const rx = await import('rxtelnet');
  const node = await import('rxtelnet/node');
  assert.equal(node.TransportError, rx.TransportError);
  assert.equal(rx.isTelnetError(new node.TransportError('ECONNRESET', 'read ECONNRESET')), true);
  assert.equal(rx.isTelnetError(new rx.WebSocketError('ERR_WEBSOCKET_CLOSED', 'closed', 1006)), true);
});

check('rxtelnet/node connects a client to a server over TCP with MCCP2', async () => {
  const rx = await import('rxtelnet');
  const node = await import('rxtelnet/node');
  const received = [];
  let serverSubscription;
  const port = await new Promise((resolve, reject) => {
    serverSubscription = node
      .listenTelnet({ port: 0, policy: rx.policyOf({ local: [rx.TelnetOption.MCCP2] }) })
      .subscribe({
        next: (event) => {
          if (event._tag === 'Listening') resolve(event.address.port);
          else {
            event.connection.will(rx.TelnetOption.MCCP2).subscribe({
              complete: () => {
                event.connection.write('compressed hello\n');
                event.connection.loseConnection();
              },
              error: reject,
            });
          }
        },
        error: reject,
      });
  });
  // Taken with subscribe: the Observable completes right after the connection's closed$ has emitted.
  let compression;
  await new Promise((resolve, reject) => {
    node
      .connectTelnet({ host: '127.0.0.1', port, policy: rx.policyOf({ remote: [rx.TelnetOption.MCCP2] }) })
      .subscribe({
        next: (connection) => {
          compression = lastValueFrom(connection.compression$.pipe(toArray()));
          connection.data$.subscribe((bytes) => received.push(...bytes));
        },
        complete: resolve,
        error: reject,
      });
  });
  serverSubscription.unsubscribe();
  assert.equal(new TextDecoder().decode(Uint8Array.from(received)), 'compressed hello\n');
  assert.equal((await compression)[0]._tag, 'CompressionStarted');
});

let passed = 0;
let failed = 0;
for (const { name, run } of checks) {
  try {
    await run();
    passed++;
    console.log(`  ✓ ${name}`);
  } catch (error) {
    failed++;
    console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.stack : String(error)}`);
  }
}
console.log(`smoke: ${passed} passed, ${failed} failed`);
if (process.env.RXTELNET_REPORT_DIR) {
  writeFileSync(
    join(process.env.RXTELNET_REPORT_DIR, 'smoke.json'),
    JSON.stringify({ numPassedTests: passed, numFailedTests: failed }),
  );
}
process.exit(failed === 0 ? 0 : 1);

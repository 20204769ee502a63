/**
 * The browser as a client, for real: Debian's headless Chromium (driven by puppeteer-core over the DevTools
 * protocol) opens the example web client that `rxtelnet gateway --web` serves (an esbuild bundle of the root
 * export and rxtelnet/mud), which connects through the gateway to `rxtelnet serve` with the standard MUD client
 * policy. MCCP2 runs (inflated by portableCompression in the page), the player logs in and looks, and the text,
 * the GMCP vitals and the option states reach the DOM.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildCliIfStale, portIn, spawnCli } from '../cli/built-cli.js';
import { requirePeer } from '../helpers/peers.js';
import { stopAllPeers } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'web', 'client.js');
/** Flags that work headless as root on these machines; the profile is a fresh folder per run. */
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser | undefined;
let profile: string | undefined;

beforeAll(async () => {
  buildCliIfStale();
  const sources = join(root, 'src', 'cli', 'web');
  const newest = Math.max(statSync(join(sources, 'client.ts')).mtimeMs, statSync(join(sources, 'index.html')).mtimeMs);
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest) {
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: BUILD_TIMEOUT_MS,
    });
    if (built.status !== 0) throw new Error(`building the web client failed:\n${built.stdout}${built.stderr}`);
  }
  profile = mkdtempSync(join(tmpdir(), 'rxtelnet-chromium-'));
  browser = await puppeteer.launch({
    executablePath: requirePeer('chromium'),
    headless: true,
    args: [...chromiumFlags, `--user-data-dir=${profile}`],
    timeout: 20_000,
    protocolTimeout: 20_000,
  });
}, BUILD_TIMEOUT_MS);

afterEach(async () => {
  await stopAllPeers();
});

afterAll(async () => {
  const started = browser;
  browser = undefined;
  if (started !== undefined) {
    const process = started.process();
    await Promise.race([started.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (process !== null && process.exitCode === null) process.kill('SIGKILL');
  }
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

/** Waits until the page's transcript (the text lines the client decoded) contains `text`. */
const transcriptHas = (page: Page, text: string): Promise<unknown> =>
  page.waitForFunction(
    (wanted: string) => document.getElementById('transcript')?.textContent.includes(wanted) ?? false,
    { timeout: 10_000 },
    text,
  );

const send = async (page: Page, line: string): Promise<void> => {
  await page.type('#command', line);
  await page.keyboard.press('Enter');
};

describe('the web client in headless Chromium, through rxtelnet gateway, to rxtelnet serve', () => {
  it('logs in with MCCP2 on and shows the text, the GMCP vitals and the option states', async () => {
    const server = spawnCli(['serve', '--port', '0']);
    const serverPort = portIn(await server.waitForLine((line) => line.includes('listening on')));
    const gateway = spawnCli(['gateway', '--port', '0', '--to', `127.0.0.1:${serverPort}`, '--web']);
    const url = /(http:\/\/\S+\/)/.exec(await gateway.waitForLine((line) => line.includes('rxtelnet gateway on')))?.[1];
    expect(url).toBeDefined();
    if (browser === undefined || url === undefined) throw new Error('no browser or no gateway');

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    const navigated = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: 10_000 });
    await transcriptHas(page, 'What is your name?');
    const firstText = Date.now() - navigated;

    await send(page, 'Chromia');
    await transcriptHas(page, 'Choose a password');
    await send(page, 'secret');
    await page.waitForFunction(() => document.getElementById('vitals')?.textContent.includes('hp') ?? false, {
      timeout: 10_000,
    });
    await send(page, 'look');
    await transcriptHas(page, 'Exits');

    const state = await page.evaluate(() => {
      const option = (name: string) =>
        document.querySelector<HTMLElement>(`#options li[data-option="${name}"]`)?.dataset;
      return {
        vitals: JSON.parse(document.getElementById('vitals')?.textContent ?? 'null') as Record<string, unknown> | null,
        mccp2: option('MCCP2')?.remote,
        gmcp: option('GMCP')?.remote,
        compressing: document.getElementById('compression')?.dataset.input,
        status: document.getElementById('status')?.dataset.state,
        terminal: document.querySelector('.xterm-rows')?.textContent ?? '',
        rows: [...(document.querySelector('.xterm-rows')?.children ?? [])].map((row) => row.textContent),
      };
    });
    expect(problems).toEqual([]);
    expect(state.status).toBe('open');
    expect(state.mccp2).toBe('true');
    expect(state.gmcp).toBe('true');
    expect(state.compressing).toBe('true');
    expect(state.vitals).toMatchObject({ hp: expect.any(Number) as unknown, maxhp: expect.any(Number) as unknown });
    expect(state.terminal).toContain('What is your name?');
    // Lines start at the left edge: the terminal is given LF and moves to the line start (no staircase).
    expect(state.rows.some((row) => row.startsWith('Exits:'))).toBe(true);
    console.log(`browser: first text ${firstText} ms after navigation`);
    await page.close();
  });
});

/**
 * Studio in a real browser (Debian's Chromium through playwright-core, which gives each launch a fresh profile directory): alice opens her presigned
 * URL, lands in the shared space's Jupyter, opens a notebook, runs a cell that writes a file into
 * the space and prints; bob, in a browser context of his own, opens his presigned URL and the
 * same notebook and sees alice's output. Skipped where /usr/bin/chromium is missing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAppCommand, CreatePresignedDomainUrlCommand, DeleteAppCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { studioFixture, waitForStatus } from './studio-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
let server: TestServer;
let admin: SageMakerClient;
let alice: SageMakerClient;
let bob: SageMakerClient;
let domainId: string;
let browser: Browser;
const app = () => ({ DomainId: domainId, SpaceName: 'team', AppType: 'JupyterServer' as const, AppName: 'default' });

describe.skipIf(!existsSync(CHROMIUM))('Studio in Chromium', () => {
  beforeAll(async () => {
    server = await startTestServer();
    ({ domainId, admin, alice, bob } = await studioFixture(server));
    await alice.send(new CreateAppCommand(app()));
    await waitForStatus(alice, app(), ['InService']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (domainId) {
      await admin.send(new DeleteAppCommand(app())).catch(() => undefined);
      await waitForStatus(admin, app(), ['Deleted', 'Failed']).catch(() => undefined);
    }
    for (const c of [admin, alice, bob]) c?.destroy();
    await server?.close();
  }, 120_000);

  async function openAs(client: SageMakerClient, user: string): Promise<BrowserContext> {
    const url = (await client.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: user, SpaceName: 'team' }))).AuthorizedUrl!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    // The presigned URL → the space → its Jupyter's file tree.
    await page.waitForURL(new RegExp(`/studio/${domainId}/spaces/team/jupyterserver/default/tree`), { timeout: 60_000 });
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'clary_studio_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: `/studio/${domainId}/` });
    await page.close();
    return context;
  }

  it('alice runs a cell in a notebook of the shared space; bob opens the same notebook and sees its output', async () => {
    const base = `${server.endpoint}/studio/${domainId}/spaces/team/jupyterserver/default/`;
    const aliceCtx = await openAs(alice, 'alice');
    const page = await aliceCtx.newPage();
    await page.goto(`${base}tree`);
    // A new notebook, made from alice's browser session through the proxy.
    const created = await page.evaluate(async (b) => {
      const r = await fetch(`${b}api/contents/shared.ipynb`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'notebook', format: 'json', content: { cells: [], metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 } }) });
      return r.status;
    }, base);
    expect(created).toBe(201);
    await page.goto(`${base}notebooks/shared.ipynb`);
    await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 90_000 });
    await page.click('.cell .CodeMirror');
    await page.keyboard.type("import os; open(os.path.expanduser('~/from-browser.txt'), 'w').write('alice was here'); print('written by alice in', os.getcwd())");
    await page.keyboard.press('Shift+Enter');
    await page.waitForSelector('.output_area pre:has-text("written by alice in /home/sagemaker-user")', { timeout: 60_000 });
    await page.evaluate(() => (globalThis as unknown as { Jupyter: { notebook: { save_notebook(): Promise<unknown> } } }).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !(globalThis as unknown as { Jupyter: { notebook: { dirty: boolean } } }).Jupyter.notebook.dirty, undefined, { timeout: 30_000 });
    expect(await readFile(join(server.dataDir, 'studio', domainId, 'spaces', 'team', 'from-browser.txt'), 'utf8')).toBe('alice was here');

    const bobCtx = await openAs(bob, 'bob');
    const bobPage = await bobCtx.newPage();
    await bobPage.goto(`${base}notebooks/shared.ipynb`);
    await bobPage.waitForSelector('.output_area pre:has-text("written by alice in /home/sagemaker-user")', { timeout: 60_000 });
    await aliceCtx.close();
    await bobCtx.close();
  }, 240_000);
});

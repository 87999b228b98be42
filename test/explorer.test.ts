import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Locator } from 'playwright-core';
import request from 'supertest';
import { DEMO_LOGINS } from '../src/cli/demo-data';
import { startTestServer, TestServer } from './support/server';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
const DEMO_CLIENTS = /Glowbar Skincare|Vitalroot Supplements|Hearth & Oak Home/;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && !process.env.CI) {
  console.warn(`test/explorer.test.ts: ${CHROMIUM} is missing, so the browser test is skipped (apt-get install chromium; under CI it fails instead).`);
}
const browserIt = hasChromium || process.env.CI ? it : it.skip;

/** The URLs a page refers to in its src and href attributes. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]);
}

/** Waits until the element shows the text (playwright-core has no expect of its own). */
async function waitForText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}

const isExternal = (url: string) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url);

describe('the explorer (Altair, self-hosted)', () => {
  let t: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { SEED_DEMO: 'true' } });
    // A second node on the same data, started without SEED_DEMO: its page lists no demo logins.
    plain = await startTestServer({ shareDatabaseOf: t });
  });
  afterAll(async () => {
    await plain?.server.stop();
    await t?.stop();
  });

  const http = (server: TestServer) => request(`http://127.0.0.1:${server.server.port}`);

  it('is what a browser gets at GET /graphql: Altair, every asset from this server', async () => {
    const res = await http(t).get('/graphql').set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('AltairGraphQL.init(');
    expect(res.text).not.toMatch(/apollographql|embeddable-sandbox/i);
    expect(res.text).toContain('<base href="/graphiql/">');
    const urls = referencedUrls(res.text);
    expect(urls).toEqual(expect.arrayContaining(['main.js', 'styles.css']));
    expect(urls.filter(isExternal)).toEqual([]);
    // Same origin for queries; graphql-ws on the same host for subscriptions.
    expect(res.text).toContain('endpointURL: `/graphql`');
    expect(res.text).toContain('subscriptionsEndpoint: `/graphql`');
    expect(res.text).toContain('subscriptionsProtocol: `ws`');
    expect(res.text).toContain('initialSubscriptionRequestHandlerId: `graphql-ws`');
    expect(res.text).toContain('disableAccount: true');
  });

  it('opens on a login mutation, with the demo logins only where the demo data is loaded', async () => {
    const seeded = (await http(t).get('/graphiql/')).text;
    const login = 'mutation {\n  login(email: "admin@demo.agency", password: "demo") {\n    token\n    expiresAt\n  }\n}';
    expect(seeded).toContain(login);
    expect(seeded).toContain('Bearer <token>');
    for (const { role, email } of DEMO_LOGINS) expect(seeded).toMatch(new RegExp(`# +${role} +${email.replace('.', '\\.')}`));

    const unseeded = (await http(plain).get('/graphiql')).text;
    expect(unseeded).toContain(login);
    expect(unseeded).not.toContain('Demo logins');
    expect(unseeded).not.toContain('viewer@demo.agency');
  });

  it('serves its assets under /graphiql, and 404 for what it does not have', async () => {
    const script = await http(t).get('/graphiql/main.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    const css = await http(t).get('/graphiql/styles.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await http(t).get('/graphiql/no-such-file.js')).status).toBe(404);
  });

  it('asks for wss behind a TLS-terminating proxy', async () => {
    const res = await http(t).get('/graphql').set('accept', 'text/html').set('x-forwarded-proto', 'https');
    expect(res.text).toContain('subscriptionsProtocol: `wss`');
  });

  it('leaves GraphQL GETs and non-browser requests to Apollo', async () => {
    const query = await http(t).get('/graphql').query({ query: '{ __typename }' }).set('apollo-require-preflight', 'true');
    expect(query.status).toBe(200);
    expect(query.body).toEqual({ data: { __typename: 'Query' } });
    // A browser-looking GET with a query is a GraphQL request too (and CSRF prevention still guards it).
    const fromBrowser = await http(t).get('/graphql').query({ query: '{ __typename }' }).set('accept', 'text/html');
    expect(fromBrowser.headers['content-type']).not.toMatch(/^text\/html/);
    expect(fromBrowser.status).toBe(400);
    const json = await http(t).get('/graphql').set('accept', 'application/json');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  browserIt(
    'works in a browser with no network: log in, set the header, run a query',
    async () => {
      if (!hasChromium) throw new Error(`${CHROMIUM} is missing (CI is set): install chromium (apt-get install chromium)`);
      const started = Date.now();
      const profile = mkdtempSync(join(tmpdir(), 'agency-graph-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const blocked: string[] = [];
      const sockets: string[] = [];
      try {
        // Only this machine answers; everything else is recorded and refused, as offline.
        await context.route('**/*', (route) => {
          const url = new URL(route.request().url());
          if (['localhost', '127.0.0.1'].includes(url.hostname) || ['data:', 'blob:'].includes(url.protocol)) return route.continue();
          blocked.push(url.href);
          return route.abort('internetdisconnected');
        });
        context.on('page', (p) => p.on('websocket', (ws) => sockets.push(ws.url())));
        const page = context.pages()[0] ?? (await context.newPage());
        page.on('websocket', (ws) => sockets.push(ws.url()));

        await page.goto(`http://127.0.0.1:${t.server.port}/graphql`);
        const editor = page.locator('app-query-editor .cm-content');
        const result = page.locator('app-query-result .cm-content');
        await waitForText(editor, 'login(email: "admin@demo.agency", password: "demo")', 30_000);

        // 1. Run the login mutation the explorer opens with, and read the token off the result.
        await page.getByRole('button', { name: 'Send Request' }).click();
        await waitForText(result, '"token"', 30_000);
        const token = /"token":\s*"([^"]+)"/.exec((await result.textContent()) ?? '')?.[1];
        expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

        // 2. Set the Authorization header in the headers dialog.
        await page.getByLabel('Set Headers').first().click();
        // Altair's inputs are small editors, not <input>s: click and type, as a person does.
        await page.getByPlaceholder('Header key').last().click();
        await page.keyboard.type('Authorization');
        await page.getByPlaceholder('Header value').last().click();
        await page.keyboard.insertText(`Bearer ${token}`);
        await page.getByRole('button', { name: 'Done' }).click();

        // 3. Replace the query and run it: the demo agency's clients come back.
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText('{ clients(first: 5) { edges { node { name } } } }');
        await page.getByRole('button', { name: 'Send Request' }).click();
        await waitForText(result, DEMO_CLIENTS, 30_000);
        expect(await result.textContent()).not.toContain('UNAUTHENTICATED');

        // The docs pane was filled by introspection from this server.
        await page.getByRole('button', { name: 'Docs' }).click();
        await waitForText(page.locator('app-doc-viewer'), 'Query', 15_000);

        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
        console.log(`explorer browser test: ${Date.now() - started} ms (chromium start to last assertion)`);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
      expect(blocked).toEqual([]);
      expect(sockets.filter((url) => !/^wss?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url))).toEqual([]);
    },
    120_000,
  );
});

describe('LANDING_PAGE=sandbox with CORS_ORIGINS (Apollo Sandbox, online)', () => {
  let t: TestServer;
  const studio = 'https://studio.apollographql.com';
  beforeAll(async () => {
    t = await startTestServer({ env: { LANDING_PAGE: 'sandbox', CORS_ORIGINS: `${studio}, http://localhost:3000` } });
  });
  afterAll(() => t?.stop());
  const http = () => request(`http://127.0.0.1:${t.server.port}`);

  it("serves Apollo's Sandbox at /graphql and keeps the explorer at /graphiql", async () => {
    const page = await http().get('/graphql').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/embeddable-sandbox|apollographql/);
    expect(page.text).not.toContain('AltairGraphQL');
    expect((await http().get('/graphiql')).text).toContain('AltairGraphQL.init(');
  });

  it('answers the preflight of a listed origin and lets it read responses', async () => {
    const preflight = await http()
      .options('/graphql')
      .set('origin', studio)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type, authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(studio);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type, authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const res = await http().post('/graphql').set('origin', studio).set('content-type', 'application/json').send({ query: '{ __typename }' });
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers['access-control-allow-origin']).toBe(studio);
    expect(res.headers.vary).toMatch(/Origin/i);
  });

  it('gives other origins no CORS headers, and keeps CSRF prevention on for everyone', async () => {
    const preflight = await http().options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await http().post('/graphql').set('origin', 'https://evil.example').set('content-type', 'application/json').send({ query: '{ __typename }' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // A simple GET (no preflight-forcing header) is refused even from a listed origin.
    const simple = await http().get('/graphql').query({ query: '{ __typename }' }).set('origin', studio);
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/CSRF/i);
  });
});

describe('LANDING_PAGE=off', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LANDING_PAGE: 'off' } });
  });
  afterAll(() => t?.stop());

  it('serves no HTML page at /graphql and no explorer at /graphiql', async () => {
    const http = request(`http://127.0.0.1:${t.server.port}`);
    const page = await http.get('/graphql').set('accept', 'text/html');
    expect(page.headers['content-type']).not.toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/AltairGraphQL|apollographql/);
    expect((await http.get('/graphiql')).status).toBe(404);
    expect((await http.get('/graphiql/main.js')).status).toBe(404);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from '../src/cli/demo-data';
import { AppLogger } from '../src/common/logger';
import { loadConfig } from '../src/config';
import { createServer } from '../src/server';

/** The no-configuration path of `npm start`: embedded PGlite in a data directory, demo data on first boot. */
describe('embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agency-graph-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' });

  async function signInAndCountClients(port: number): Promise<number> {
    const http = request(`http://127.0.0.1:${port}`);
    const login = await http
      .post('/graphql')
      .send({ query: `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_ADMIN_PASSWORD}") { token } }` });
    expect(login.body.errors).toBeUndefined();
    const res = await http
      .post('/graphql')
      .set('authorization', `Bearer ${login.body.data.login.token}`)
      .send({ query: '{ clients { totalCount } creators { totalCount } shops { edges { node { currency } } } }' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.creators.totalCount).toBeGreaterThanOrEqual(150);
    expect(res.body.data.shops.edges.map((e: { node: { currency: string } }) => e.node.currency)).toEqual(
      expect.arrayContaining(['USD', 'GBP']),
    );
    return res.body.data.clients.totalCount;
  }

  it('boots on a fresh directory with the demo agency, and keeps the data on the next boot', async () => {
    const cold = Date.now();
    const first = await createServer(config(), { log: new AppLogger('error') });
    const coldMs = Date.now() - cold;
    try {
      expect(first.seeded).toBe(true);
      expect(await signInAndCountClients(first.port)).toBe(3);
    } finally {
      await first.stop();
    }

    const warm = Date.now();
    const second = await createServer(config(), { log: new AppLogger('error') });
    const warmMs = Date.now() - warm;
    try {
      expect(second.seeded).toBe(false);
      expect(await signInAndCountClients(second.port)).toBe(3);
    } finally {
      await second.stop();
    }
    console.log(`embedded boot: cold (migrations + demo data) ${coldMs} ms, warm ${warmMs} ms`);
    // PGlite's first initdb is CPU-bound: on a busy 2-core machine it can take half a minute.
  }, 90_000);
});

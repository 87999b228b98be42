import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgencyCommand } from '../src/cli/agency-create';
import { parseGlobalId } from '../src/common/global-id';
import { ConfigError, loadConfig } from '../src/config';
import { LoginDocument } from './generated/graphql';
import { codes, startTestServer, TestServer } from './support/server';

describe('configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agency-graph-config-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('defaults to port 4000, embedded mode with demo data, and a JWT secret kept in the data directory', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.seedDemo).toBe(true);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(config.jwtSecret);
  });

  it('loads no demo data with DATABASE_URL unless SEED_DEMO says so', () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@db:5432/app' };
    expect(loadConfig(env).seedDemo).toBe(false);
    expect(loadConfig({ ...env, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('serves the explorer outside production and no page in production; the old booleans still work', () => {
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-characters' };
    expect(loadConfig({ DATA_DIR: dataDir }).landingPage).toBe('explorer');
    expect(loadConfig(production).landingPage).toBe('off');
    expect(loadConfig({ ...production, LANDING_PAGE: 'sandbox' }).landingPage).toBe('sandbox');
    expect(loadConfig({ DATA_DIR: dataDir, LANDING_PAGE: 'Explorer' }).landingPage).toBe('explorer');
    expect(loadConfig({ DATA_DIR: dataDir, LANDING_PAGE: 'off' }).landingPage).toBe('off');
    expect(loadConfig({ ...production, LANDING_PAGE: 'true' }).landingPage).toBe('explorer');
    expect(loadConfig({ DATA_DIR: dataDir, LANDING_PAGE: 'false' }).landingPage).toBe('off');
  });

  it('sends no CORS headers unless CORS_ORIGINS lists origins', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).corsOrigins).toEqual([]);
    expect(loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: ' ' }).corsOrigins).toEqual([]);
    const corsOrigins = loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: 'https://studio.apollographql.com, http://localhost:3000/' }).corsOrigins;
    expect(corsOrigins).toEqual(['https://studio.apollographql.com', 'http://localhost:3000']);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ LANDING_PAGE: 'graphiql' }, /LANDING_PAGE must be one of explorer, sandbox, off; got "graphiql"/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS must list origins .*got "\*"/],
    [{ CORS_ORIGINS: 'https://studio.apollographql.com/graphql' }, /CORS_ORIGINS must list origins .*got "https:\/\/studio.apollographql.com\/graphql"/],
    [{ CORS_ORIGINS: 'studio.apollographql.com' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'ftp://files.example' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'https://a.example,,https://b.example' }, /CORS_ORIGINS must list origins .*got ""/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(message);
  });
});

describe('agency:create', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  const configFor = () =>
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.database.url, JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long' });

  it('creates an agency whose admin can sign in, and returns global ids', async () => {
    const result = await createAgencyCommand(
      ['--name', 'Acme Agency', '--admin-email', 'Boss@Acme.test', '--admin-password=s3cret-pass'],
      configFor(),
    );
    expect(parseGlobalId(result.agencyId)?.typeName).toBe('Agency');
    expect(parseGlobalId(result.memberId)?.typeName).toBe('Member');
    const { login } = await t.ok(LoginDocument, { email: 'boss@acme.test', password: 's3cret-pass' });
    expect(login.member.id).toBe(result.memberId);
    expect(login.member.agency).toMatchObject({ id: result.agencyId, name: 'Acme Agency', slug: 'acme-agency' });
  });

  it('gives a second agency of the same name its own slug', async () => {
    await createAgencyCommand(['--name', 'Twin Agency', '--admin-email', 'a@twin.test', '--admin-password', 'long-enough'], configFor());
    await createAgencyCommand(['--name', 'Twin Agency', '--admin-email', 'b@twin.test', '--admin-password', 'long-enough'], configFor());
    const { login } = await t.ok(LoginDocument, { email: 'b@twin.test', password: 'long-enough' });
    expect(login.member.agency.slug).toBe('twin-agency-2');
  });

  it("gives an admin whose address is in another agency a membership of their own (members are per agency)", async () => {
    await createAgencyCommand(['--name', 'Dup Agency', '--admin-password', 'first-agency-pw', '--admin-email', 'dup@x.test'], configFor());
    await createAgencyCommand(['--name', 'Dup Agency', '--admin-password', 'second-agency-pw', '--admin-email', 'DUP@x.test'], configFor());
    const first = await t.ok(LoginDocument, { email: 'dup@x.test', password: 'first-agency-pw' });
    const second = await t.ok(LoginDocument, { email: 'dup@x.test', password: 'second-agency-pw' });
    expect([first.login.member.agency.slug, second.login.member.agency.slug]).toEqual(['dup-agency', 'dup-agency-2']);
  });

  it('refuses a short password, a missing option and an unknown one', async () => {
    await expect(createAgencyCommand(['--name', 'A', '--admin-email', 'a@b.test', '--admin-password', 'short'], configFor())).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(createAgencyCommand(['--name', 'A', '--admin-email', 'a@b.test'], configFor())).rejects.toThrow(/--admin-password is required/);
    await expect(createAgencyCommand(['--colour', 'red'], configFor())).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    // Nothing half-written: the refused agencies do not exist.
    const res = await t.gql(LoginDocument, { email: 'a@b.test', password: 'short' });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

/**
 * A typed client for the Agency Graph API in a few lines: fetch plus the documents that
 * `npm run codegen:client` generates from examples/client/operations/*.graphql.
 *
 *   npm start                                   # another terminal: the API with demo data
 *   npx ts-node examples/client/example.ts      # API_URL defaults to http://localhost:4000/graphql
 *
 * Result and variables types come from the documents: a misspelt field or a missing variable is a
 * compile error, not a runtime surprise.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  CampaignListDocument,
  CampaignWithEnrollmentsDocument,
  ClientsPageDocument,
  SignInDocument,
  type CampaignWithEnrollmentsQuery,
  type ClientsPageQuery,
} from './generated/graphql';

/** One GraphQL error as the API sends it: `extensions.code` is always set. */
export interface ApiError {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; fields?: Record<string, string[]>; [key: string]: unknown };
}

/** The request failed (HTTP status other than 200, or `errors` in the body). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }

  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code);
  }
}

/** Operations without required variables may leave them out. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export class AgencyGraphClient {
  constructor(
    readonly url: string,
    private token?: string,
  ) {}

  /** Sends one typed operation; resolves to its `data`, rejects with ApiRequestError. */
  async request<R, V>(document: DocumentTypeDecoration<R, V>, ...[variables]: VariablesArg<V>): Promise<R> {
    const res = await fetch(this.url, {
      method: 'POST',
      // application/json also satisfies the server's CSRF protection.
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query: String(document), variables }),
    });
    const body = (await res.json().catch(() => ({}))) as { data?: R; errors?: ApiError[] };
    if (body.errors?.length || !body.data) throw new ApiRequestError(res.status, body.errors ?? []);
    return body.data;
  }

  /** Signs in and keeps the token for the following requests. */
  async signIn(email: string, password: string): Promise<{ name: string; role: string }> {
    const { login } = await this.request(SignInDocument, { email, password });
    this.token = login.token;
    return login.member;
  }

  /** Every client, following the cursors page by page. */
  async allClients(pageSize = 20): Promise<ClientsPageQuery['clients']['edges'][number]['node'][]> {
    const clients: ClientsPageQuery['clients']['edges'][number]['node'][] = [];
    let after: string | null = null;
    do {
      const page: ClientsPageQuery = await this.request(ClientsPageDocument, { first: pageSize, after });
      clients.push(...page.clients.edges.map((e) => e.node));
      after = page.clients.pageInfo.hasNextPage ? page.clients.pageInfo.endCursor : null;
    } while (after);
    return clients;
  }

  /** The first active campaign with its enrollments, or null when there is none. */
  async firstActiveCampaign(): Promise<Extract<CampaignWithEnrollmentsQuery['node'], { __typename: 'Campaign' }> | null> {
    const { campaigns } = await this.request(CampaignListDocument, { filter: { status: ['ACTIVE'] }, first: 1 });
    const id = campaigns.edges[0]?.node.id;
    if (!id) return null;
    const { node } = await this.request(CampaignWithEnrollmentsDocument, { id, first: 10 });
    // node(id:) can return any type; the __typename narrows it.
    return node?.__typename === 'Campaign' ? node : null;
  }
}

async function main(): Promise<void> {
  const client = new AgencyGraphClient(process.env.API_URL ?? 'http://localhost:4000/graphql');
  const me = await client.signIn(process.env.API_EMAIL ?? 'admin@demo.agency', process.env.API_PASSWORD ?? 'demo');
  console.log(`Signed in as ${me.name} (${me.role})`);

  const clients = await client.allClients(2); // small pages, to show the cursors at work
  for (const c of clients) console.log(`client  ${c.name.padEnd(24)} ${c.status.padEnd(10)} since ${c.createdAt.slice(0, 10)}`);

  const campaign = await client.firstActiveCampaign();
  if (campaign) {
    console.log(`campaign ${campaign.name} (${campaign.shop.name}), ${campaign.enrollments.totalCount} creators:`);
    for (const { node } of campaign.enrollments.edges) console.log(`  @${node.creator.handle.padEnd(24)} ${node.status}`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ApiRequestError ? `API error: ${err.message}` : err);
    process.exit(1);
  });
}

/**
 * The statements of the list hot paths (connections, byId loaders: see common/raw-rows) run as
 * named prepared statements on request connections: PostgreSQL parses and plans each text once
 * per connection instead of on every request (parse and plan were most of the database's time on
 * a small page: ~0.35 of 0.45 ms for a page of products).
 *
 * Names are never reused for another text (pg refuses that on a connection that has parsed the
 * name), and at most MAX_PREPARED texts are ever named, so no connection holds more than that;
 * other texts run unnamed as before. Every text lists its columns, so a column added by a later
 * migration does not change a prepared statement's result; one that changes the type of a column
 * a statement selects makes PostgreSQL refuse the cached plan ("cached plan must not change
 * result type") until the connection is new: restart the API nodes after such a migration.
 */
const names = new Map<string, string>();
const MAX_PREPARED = 500;

/** Marks a statement text (with $n parameters) as worth preparing. */
export function prepareStatement(text: string): void {
  if (names.size < MAX_PREPARED && !names.has(text)) names.set(text, `ag_${names.size}`);
}

const WRAPPED = Symbol('prepared statements');

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;

const HELD = Symbol('corked until the end of this turn');

type Corkable = { pipeline?: boolean; connection: { stream: { cork(): void; uncork(): void } }; [HELD]?: boolean };

/**
 * In pg's pipeline mode (a speculative request scope, see TenantScope.openSpeculative) the
 * statements handed to pg in one turn of the event loop are written together: the first corks
 * the socket, and it is flushed once this turn's work is done.
 */
function holdForThisTurn(client: Corkable): void {
  if (!client.pipeline || client[HELD]) return;
  client[HELD] = true;
  client.connection.stream.cork();
  setImmediate(() => {
    client[HELD] = false;
    client.connection.stream.uncork();
  });
}

/** Makes a pg client run the marked texts as named prepared statements, and hold pipelined ones per turn (once per client). */
export function usePreparedStatements(client: { query: QueryFn; [WRAPPED]?: true }): void {
  if (client[WRAPPED]) return;
  client[WRAPPED] = true;
  const query = client.query;
  client.query = function (this: unknown, config: unknown, values?: unknown, callback?: unknown) {
    holdForThisTurn(client as unknown as Corkable);
    const name = typeof config === 'string' && Array.isArray(values) ? names.get(config) : undefined;
    if (name !== undefined) return query.call(this, { name, text: config, values }, callback);
    return query.call(this, config, values, callback);
  };
}

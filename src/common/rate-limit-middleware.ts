import type { RequestHandler } from 'express';
import { ErrorCode } from './errors';
import { RateLimiter } from './rate-limit';
import { TokenClaims, verifyToken } from './tokens';

/**
 * API key prefixes this node has seen authenticate. A prefix is only a claim until the database
 * has checked the key: an unknown one also draws from its sender's address bucket, or random
 * prefixes would each get a fresh bucket (and a database look-up, and a parse) of their own.
 */
export class KnownApiKeys {
  private readonly prefixes = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }

  add(prefix: string): void {
    if (this.prefixes.has(prefix)) return;
    // Oldest first out: a Set iterates in insertion order.
    if (this.prefixes.size >= this.capacity) this.prefixes.delete(this.prefixes.values().next().value!);
    this.prefixes.add(prefix);
  }
}

/** What naming a caller's bucket needs: the JWT secret, and the API key format (owned by its module). */
export interface CallerIdentity {
  jwtSecret: string;
  /** The look-up part of an API key, or null when the bearer token is not one. */
  apiKeyPrefix(secret: string): string | null;
  knownApiKeys: KnownApiKeys;
}

/**
 * The buckets a request draws from, named without the database: a valid login token's member
 * (the signature is checked, so the claim cannot be forged), an API key's prefix (plus the
 * address while the prefix is not known good), else the sender's address — an invalid or expired
 * token too, so bad credentials cannot dodge the limit.
 */
export function bucketsOf(
  authorization: string | undefined,
  address: string,
  identity: CallerIdentity,
): { buckets: string[]; claims?: TokenClaims | { problem: string } } {
  const ip = `ip:${address}`;
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  if (!match) return { buckets: [ip] };
  const prefix = identity.apiKeyPrefix(match[1]);
  if (prefix) return { buckets: identity.knownApiKeys.has(prefix) ? [`apikey:${prefix}`] : [`apikey:${prefix}`, ip] };
  const claims = verifyToken(match[1], identity.jwtSecret);
  return { buckets: 'problem' in claims ? [ip] : [`member:${claims.memberId}`], claims };
}

/** What the limiter decided for a request: its token's claims (verified once), and 0 or the seconds to wait. */
export async function checkRateLimit(
  limiter: RateLimiter,
  identity: CallerIdentity,
  authorization: string | undefined,
  address: string,
): Promise<{ claims?: TokenClaims | { problem: string }; retryAfterSeconds: number }> {
  const { buckets, claims } = bucketsOf(authorization, address, identity);
  let retryAfterSeconds = 0;
  for (const bucket of buckets) {
    const decision = await limiter.take(bucket);
    if (!decision.allowed) retryAfterSeconds = Math.max(retryAfterSeconds, decision.retryAfterSeconds);
  }
  return { claims, retryAfterSeconds };
}

/** The body of a 429 answer (sent with Retry-After). */
export function rateLimitedBody(retryAfterSeconds: number): object {
  return { errors: [{ message: `Too many requests; retry in ${retryAfterSeconds} s`, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds } }] };
}

/**
 * Express middleware ahead of the body parser and Apollo: a caller whose bucket is empty gets
 * 429 RATE_LIMITED with Retry-After before their body is read, their document parsed or
 * validated, or the database touched. Every request counts, valid or not. (The POST fast path in
 * src/graphql-post.ts makes the same check.)
 */
export function rateLimitMiddleware(limiter: RateLimiter, identity: CallerIdentity, onRefused?: (req: Parameters<RequestHandler>[0]) => void): RequestHandler {
  return async (req, res, next) => {
    const { claims, retryAfterSeconds } = await checkRateLimit(limiter, identity, req.headers.authorization, req.ip ?? 'unknown');
    // The token is verified once per request: the context reuses this result.
    res.locals.tokenClaims = claims;
    if (retryAfterSeconds === 0) return next();
    onRefused?.(req);
    res.status(429).set('retry-after', String(retryAfterSeconds)).json(rateLimitedBody(retryAfterSeconds));
  };
}

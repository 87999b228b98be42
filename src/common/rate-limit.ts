import Redis from 'ioredis';

/**
 * Token buckets per caller: `burst` requests at once, refilled at `perMinute`. In-process by
 * default; in Redis when REDIS_URL is set, so every API node draws from the same bucket.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Never throws: a limiter whose store is down answers from its fallback. */
  take(key: string): Promise<RateLimitDecision>;
  /** Whether the limiter's shared store answers (for /readyz); in-process limiters always do. */
  healthy(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RateLimitSettings {
  perMinute: number;
  burst: number;
}

function decision(tokens: number, perSecond: number): RateLimitDecision {
  return tokens >= 0 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(-tokens / perSecond)) };
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perSecond: number;

  constructor(private readonly settings: RateLimitSettings) {
    this.perSecond = settings.perMinute / 60;
  }

  async take(key: string): Promise<RateLimitDecision> {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, at: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    // A refused request does not spend a token: the bucket stays at (just under) one.
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.evictFull(now);
    return decision(allowed ? bucket.tokens : bucket.tokens - 1, this.perSecond);
  }

  /** Buckets that have refilled completely carry no information: drop them. */
  private evictFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.settings.burst) this.buckets.delete(key);
    }
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

/** One atomic script per request; Redis's own clock, so nodes with skewed clocks agree. */
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * per_ms)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 1000)
return { allowed, tostring(tokens) }
`;

/** What the Redis limiter tells the operator (JSON log lines): once per outage, once per recovery. */
export interface RateLimitEvents {
  degraded(error: string): void;
  restored(): void;
}

/**
 * Buckets in Redis, shared by every node. When Redis cannot answer (down, unreachable, slow) the
 * node falls back to its own in-process buckets instead of failing the request: callers are still
 * limited, per node, until Redis is back. /readyz reports the outage (see `healthy`).
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly perSecond: number;
  private readonly fallback: MemoryRateLimiter;
  private degraded = false;

  constructor(
    url: string,
    private readonly settings: RateLimitSettings,
    private readonly events: RateLimitEvents = { degraded: () => undefined, restored: () => undefined },
    private readonly prefix = 'agency-graph:rate:',
  ) {
    this.redis = new Redis(url, {
      // Fail at once while disconnected (the fallback answers) instead of queueing the request.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Without a listener ioredis prints "[ioredis] Unhandled error event" (not JSON) on every retry.
    this.redis.on('error', (err: Error) => this.degrade(err.message));
    this.fallback = new MemoryRateLimiter(settings);
    this.perSecond = settings.perMinute / 60;
  }

  /** Waits (up to `timeoutMs`) for the first connection, so a normal start does not log an outage. */
  async connected(timeoutMs = 1000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.redis.once('ready', done);
    });
  }

  async take(key: string): Promise<RateLimitDecision> {
    try {
      const [allowed, tokens] = (await this.redis.eval(TAKE_SCRIPT, 1, this.prefix + key, this.settings.burst, this.perSecond / 1000)) as [number, string];
      if (this.degraded) {
        this.degraded = false;
        this.events.restored();
      }
      return decision(allowed === 1 ? Number(tokens) : Number(tokens) - 1, this.perSecond);
    } catch (err) {
      this.degrade(err instanceof Error ? err.message : String(err));
      return this.fallback.take(key);
    }
  }

  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.events.degraded(reason);
  }

  /** Whether Redis answers a PING within `timeoutMs` (for /readyz). */
  async healthy(timeoutMs: number): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    const timeout = new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
    return Promise.race([this.redis.ping().then((r) => r === 'PONG', () => false), timeout]);
  }

  /** QUIT when Redis answers within a second; otherwise drop the connection (it may be down). */
  async close(): Promise<void> {
    const timeout = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([this.redis.quit().catch(() => undefined), timeout]);
    this.redis.disconnect();
  }
}

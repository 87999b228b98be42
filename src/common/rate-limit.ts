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
  take(key: string): Promise<RateLimitDecision>;
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

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly perSecond: number;

  constructor(url: string, private readonly settings: RateLimitSettings, private readonly prefix = 'agency-graph:rate:') {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.perSecond = settings.perMinute / 60;
  }

  async take(key: string): Promise<RateLimitDecision> {
    const [allowed, tokens] = (await this.redis.eval(TAKE_SCRIPT, 1, this.prefix + key, this.settings.burst, this.perSecond / 1000)) as [number, string];
    return decision(allowed === 1 ? Number(tokens) : Number(tokens) - 1, this.perSecond);
  }

  /** QUIT when Redis answers within a second; otherwise drop the connection (it may be down). */
  async close(): Promise<void> {
    const timeout = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([this.redis.quit().catch(() => undefined), timeout]);
    this.redis.disconnect();
  }
}

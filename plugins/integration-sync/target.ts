import type { Logger } from 'pino';
import type { Clock, PauseControl, ServiceResolver } from 'stokcerdas';
import { adapterService, webhookAdapter, type AdapterFactory, type SyncAdapter } from './adapters.ts';
import { Breaker, type BreakerState } from './breaker.ts';
import type { SyncRequest } from './events.ts';
import type { IntegrationSyncOptions, TargetOptions } from './options.ts';
import { subjectKey } from './requests.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * One host's view of each target: breaker, rate limit, the newest change pushed per product or
 * order, and counters. Registered as the service `integration-sync` by setup(), so hosts sharing
 * a process (tests) never share a breaker. Nothing here is durable on purpose: after a restart the
 * breaker starts closed and re-learns a dead target within `failureThreshold` requests.
 */

export const SERVICE = 'integration-sync';
export const handlerName = (target: string) => `to-${target}`;
export const bindingKey = (target: string) => `integration-sync/${handlerName(target)}`;
export const targetQueue = (target: string) => `integration.sync.${target}`;

const MAX_SUBJECTS = 100_000;

/** What the targets use of the host: its clock, logger and services (the setup context has all three). */
interface Deps extends ServiceResolver {
  clock: Clock;
  logger: Logger;
}

export interface TargetStatus {
  name: string;
  breaker: BreakerState;
  paused: boolean;
  failuresInARow: number;
  opens: number;
  nextProbeAt?: string;
  tokens: number;
  pushed: number;
  failed: number;
  superseded: number;
  denied: number;
  lastError?: string;
  lastSuccessAt?: string;
}

export class TargetRuntime {
  readonly breaker: Breaker;
  readonly limiter: TokenBucket;
  readonly counters = { pushed: 0, failed: 0, superseded: 0, denied: 0 };
  lastError?: string;
  lastSuccessAt?: number;
  private readonly latest = new Map<string, number>();
  private adapter?: SyncAdapter;
  private cancelProbe?: () => void;
  private nextProbeAt?: number;

  constructor(
    readonly name: string,
    readonly options: TargetOptions,
    private readonly deps: Deps,
  ) {
    this.breaker = new Breaker(options.breaker);
    this.limiter = new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst, deps.clock.now());
  }

  /** The adapter, resolved on first use: another plugin may register it after this one's setup. */
  adapterOf(): SyncAdapter | undefined {
    if (this.adapter) return this.adapter;
    let factory: AdapterFactory | undefined;
    if (this.options.adapter === 'webhook') factory = webhookAdapter;
    else {
      try {
        factory = this.deps.resolve<AdapterFactory>(adapterService(this.options.adapter));
      } catch {
        return undefined;
      }
    }
    this.adapter = factory({ name: this.name, options: this.options });
    return this.adapter;
  }

  /** A newer change for the same product or order already reached the target (a retry came back late). */
  isSuperseded(req: SyncRequest): boolean {
    const newest = this.latest.get(subjectKey(req));
    return newest !== undefined && Date.parse(req.occurredAt) < newest;
  }

  pushed(req: SyncRequest): void {
    const key = subjectKey(req);
    const at = Date.parse(req.occurredAt);
    if (!((this.latest.get(key) ?? -Infinity) > at)) {
      this.latest.delete(key); // re-inserted last: Map order is the eviction order
      this.latest.set(key, at);
      if (this.latest.size > MAX_SUBJECTS) this.latest.delete(this.latest.keys().next().value!);
    }
    this.counters.pushed++;
    this.lastSuccessAt = this.deps.clock.now();
    if (this.breaker.success()) this.deps.logger.info({ target: this.name }, 'target recovered: kill switch closed');
  }

  /** Counts a failed push; when that opens the breaker, pauses the target until the cooldown ends. */
  failedPush(reason: string, retryAfterMs?: number): void {
    this.counters.failed++;
    this.lastError = reason;
    const cooldownMs = this.breaker.failure(retryAfterMs);
    if (cooldownMs !== undefined) this.pauseFor(cooldownMs, reason);
  }

  /** Consumption of `integration.sync.<target>` stops (messages wait in RabbitMQ) and resumes after the cooldown. */
  pauseFor(cooldownMs: number, reason: string): void {
    this.deps.logger.warn({ target: this.name, cooldownMs, reason, opens: this.breaker.opens }, 'target failing: kill switch open, deliveries paused');
    const bindings = this.bindings();
    // not awaited: the handler calling this is one of the deliveries the pause waits for
    bindings?.pause(bindingKey(this.name)).catch((err) => this.deps.logger.error({ err, target: this.name }, 'could not pause the target'));
    this.cancelProbe?.();
    this.nextProbeAt = this.deps.clock.now() + cooldownMs;
    this.cancelProbe = this.deps.clock.setTimeout(() => {
      this.cancelProbe = undefined;
      this.nextProbeAt = undefined;
      this.breaker.halfOpen();
      this.deps.logger.info({ target: this.name }, 'cooldown over: the next delivery probes the target');
      // after host.stop() the binding is gone: nothing to resume, nothing lost
      bindings?.resume(bindingKey(this.name)).catch((err) => this.deps.logger.debug({ err, target: this.name }, 'could not resume the target'));
    }, cooldownMs);
  }

  paused(): boolean {
    return this.bindings()?.isPaused(bindingKey(this.name)) ?? false;
  }

  status(): TargetStatus {
    return {
      name: this.name,
      breaker: this.breaker.state,
      paused: this.paused(),
      failuresInARow: this.breaker.failures,
      opens: this.breaker.opens,
      ...(this.nextProbeAt !== undefined ? { nextProbeAt: new Date(this.nextProbeAt).toISOString() } : {}),
      tokens: Math.floor(this.limiter.available(this.deps.clock.now())),
      ...this.counters,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: new Date(this.lastSuccessAt).toISOString() } : {}),
    };
  }

  private bindings(): PauseControl | undefined {
    try {
      return this.deps.resolve('pause');
    } catch {
      return undefined;
    }
  }
}

export class IntegrationSync {
  readonly targets = new Map<string, TargetRuntime>();

  constructor(options: IntegrationSyncOptions, deps: Deps) {
    for (const [name, t] of Object.entries(options.targets)) this.targets.set(name, new TargetRuntime(name, t, deps));
  }

  target(name: string): TargetRuntime {
    const t = this.targets.get(name);
    if (!t) throw new Error(`integration-sync: no target "${name}"`);
    return t;
  }

  status(): TargetStatus[] {
    return [...this.targets.values()].map((t) => t.status());
  }
}

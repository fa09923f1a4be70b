import type { SchemaRegistry } from '../events/schemas.ts';
import { decodeDelivery } from '../events/codec.ts';
import type { Middleware } from './types.ts';
import type { StokEvent } from '../events/types.ts';

/** Not JSON / not a CloudEvent / fails its type's schema → PoisonMessageError (dead-lettered at once). */
export function decode(registry: SchemaRegistry, now: () => number): Middleware {
  return (next) => (ctx) => {
    ctx.event = decodeDelivery(ctx.delivery, registry, now) as StokEvent;
    return next(ctx);
  };
}

import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { StokcerdasClient } from '../client/client.ts';
import { DistributedConsumers } from './distributed.ts';
import { EventBusService } from './event-bus.service.ts';
import { MessageBrokerService } from './message-broker.service.ts';
import { STOKCERDAS_OPTIONS, STOKCERDAS_RUNTIME, splitOptions, type StokcerdasModuleAsyncOptions, type StokcerdasModuleOptions } from './options.ts';

/**
 * What the module owns: the client (connected before anything is injected) and the distributed
 * consumers. NestJS calls the hooks: consumers start once every `onModuleInit` has subscribed,
 * stop before the connection closes, and the client closes last, after its confirms.
 */
export class StokcerdasRuntime {
  constructor(
    readonly client: StokcerdasClient,
    readonly consumers: DistributedConsumers,
    readonly logger: Logger,
  ) {}

  static async create(options: StokcerdasModuleOptions): Promise<StokcerdasRuntime> {
    const { config, service } = splitOptions(options);
    const client = new StokcerdasClient(config, { env: options.env, logger: options.logger, events: options.events });
    const logger = options.logger ?? client.logger;
    await client.start();
    // the consumers read the same resolved config (environment applied) as the client
    const consumers = new DistributedConsumers({
      config: client.config,
      service,
      logger,
      events: options.events,
      sharedTransport: client.transport.durable ? undefined : client.transport,
    });
    return new StokcerdasRuntime(client, consumers, logger);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumers.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.consumers.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.client.close();
  }
}

/** Every provider is a factory on string tokens: no decorator metadata is needed to wire them. */
const services: Provider[] = [
  {
    provide: EventBusService,
    useFactory: (rt: StokcerdasRuntime) => new EventBusService(rt.client, rt.consumers, rt.logger),
    inject: [STOKCERDAS_RUNTIME],
  },
  {
    provide: MessageBrokerService,
    useFactory: (rt: StokcerdasRuntime) => new MessageBrokerService(rt.client, rt.consumers, rt.logger),
    inject: [STOKCERDAS_RUNTIME],
  },
  { provide: StokcerdasClient, useFactory: (rt: StokcerdasRuntime) => rt.client, inject: [STOKCERDAS_RUNTIME] },
  { provide: STOKCERDAS_RUNTIME, useFactory: (o: StokcerdasModuleOptions) => StokcerdasRuntime.create(o), inject: [STOKCERDAS_OPTIONS] },
];
const exported = [EventBusService, MessageBrokerService, StokcerdasClient];

/**
 * `StokcerdasModule.forRoot(config)` / `forRootAsync({ useFactory, inject, imports })`: injectable
 * `EventBusService`, `MessageBrokerService` and `StokcerdasClient`, global unless `global: false`.
 */
export class StokcerdasModule {
  static forRoot(options: StokcerdasModuleOptions = {}): DynamicModule {
    return {
      module: StokcerdasModule,
      global: options.global ?? true,
      providers: [{ provide: STOKCERDAS_OPTIONS, useValue: options }, ...services],
      exports: exported,
    };
  }

  static forRootAsync(options: StokcerdasModuleAsyncOptions): DynamicModule {
    return {
      module: StokcerdasModule,
      global: options.global ?? true,
      imports: options.imports ?? [],
      providers: [{ provide: STOKCERDAS_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }, ...services],
      exports: exported,
    };
  }
}
// a plain call rather than decorator syntax: it works whatever the consumer's decorator settings
Module({})(StokcerdasModule);

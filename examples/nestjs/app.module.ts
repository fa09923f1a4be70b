import { Module, type DynamicModule } from '@nestjs/common';
import { StokcerdasModule, type StokcerdasModuleOptions } from 'stokcerdas/nestjs';
import { InventoryService } from './inventory.service.ts';
import { NotificationService } from './notification.service.ts';
import { SomeService } from './some.service.ts';

/**
 * The seed's three example services on `StokcerdasModule`. In an application this is a plain
 * `@Module({ imports: [StokcerdasModule.forRoot({ env: process.env, service: 'inventory-app' })], … })`;
 * here the config is a parameter so a test can point it at its own broker prefix.
 */
@Module({})
export class AppModule {
  static with(options: StokcerdasModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [StokcerdasModule.forRoot(options)],
      providers: [InventoryService, NotificationService, SomeService],
      exports: [InventoryService, NotificationService, SomeService],
    };
  }
}

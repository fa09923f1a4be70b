import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBusService } from 'stokcerdas/nestjs';
import { EventHandler } from 'stokcerdas/nestjs';
import { StockLevelChangedEvent } from 'stokcerdas/nestjs';

@Injectable()
export class NotificationService implements OnModuleInit {
  constructor(private eventBus: EventBusService) {}

  onModuleInit() {
    this.eventBus.subscribe(
      'inventory.stock.level.changed',
      new StockLevelChangedHandler(),
      {
        local: true,
        distributed: true,
        priority: 8,
      }
    );
  }
}

class StockLevelChangedHandler implements EventHandler<StockLevelChangedEvent> {
  async handle(event: StockLevelChangedEvent): Promise<void> {
    // Handle the event
    console.log(`Stock changed for product ${event.productData.id}`);
    
    // Send notifications, update caches, etc.
  }
}

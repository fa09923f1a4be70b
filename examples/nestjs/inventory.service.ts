import { Injectable } from '@nestjs/common';
import { EventBusService } from 'stokcerdas/nestjs';
import { StockLevelChangedEvent } from 'stokcerdas/nestjs';
import { productData, locationData, stockMovement, stockLevel } from './seed-sample-data.ts';

@Injectable()
export class InventoryService {
  constructor(private eventBus: EventBusService) {}

  async updateStock(productId: string, newStock: number) {
    // Your business logic here
    
    // Publish event
    const event = new StockLevelChangedEvent(
      {
        tenantId: 'tenant-123',
        userId: 'user-456',
        correlationId: 'correlation-789',
      },
      productData,
      locationData,
      stockMovement,
      stockLevel,
    );

    await this.eventBus.publishInventoryEvent(
      'inventory.stock.level.changed',
      event,
      { priority: 8 }
    );
  }
}

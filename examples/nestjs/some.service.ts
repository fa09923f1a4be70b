import { Injectable } from '@nestjs/common';
import { MessageBrokerService } from 'stokcerdas/nestjs';

@Injectable()
export class SomeService {
  constructor(private messageBroker: MessageBrokerService) {}

  async sendMessage() {
    await this.messageBroker.publishMessage(
      {
        exchange: 'stokcerdas.inventory.events',
        routingKey: 'inventory.stock.update',
        messageType: 'stock_update',
        priority: 8,
        persistent: true,
      },
      {
        productId: 'PROD-001',
        newStock: 100,
        locationId: 'LOC-001',
      },
      {
        indonesianContext: {
          timezone: 'Asia/Jakarta',
          businessHours: true,
          ramadanSeason: false,
          regionalContext: 'indonesia',
        },
      }
    );
  }
}

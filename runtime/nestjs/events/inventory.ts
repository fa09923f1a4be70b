import type { EventTypes } from '../../events/event-types.ts';
import { BaseEvent, type EventContext } from './base.ts';

/** The seed's inventory events: stock changes, transfers, alerts. Parts typed by the catalog. */

type P<T extends keyof EventTypes> = EventTypes[T];
type Alert = P<'inventory.stock.low'>;
type Transfer = P<'inventory.transfer.requested'>;

export class StockLevelChangedEvent extends BaseEvent<P<'inventory.stock.level.changed'>> {
  static readonly eventType = 'inventory.stock.level.changed';
  productData: P<'inventory.stock.level.changed'>['productData'];
  locationData: P<'inventory.stock.level.changed'>['locationData'];
  stockMovement: P<'inventory.stock.level.changed'>['stockMovement'];
  stockLevel: P<'inventory.stock.level.changed'>['stockLevel'];
  constructor(
    context: EventContext,
    productData: StockLevelChangedEvent['productData'],
    locationData: StockLevelChangedEvent['locationData'],
    stockMovement: StockLevelChangedEvent['stockMovement'],
    stockLevel: StockLevelChangedEvent['stockLevel'],
  ) {
    super(StockLevelChangedEvent.eventType, context);
    this.productData = productData;
    this.locationData = locationData;
    this.stockMovement = stockMovement;
    this.stockLevel = stockLevel;
  }
}

/** low stock, out of stock and reorder suggestions share one shape */
abstract class StockAlertEvent extends BaseEvent<Alert> {
  productData: Alert['productData'];
  locationData: Alert['locationData'];
  stockLevel: Alert['stockLevel'];
  alertData?: Alert['alertData'];
  protected constructor(type: string, context: EventContext, productData: Alert['productData'], locationData: Alert['locationData'], stockLevel: Alert['stockLevel'], alertData?: Alert['alertData']) {
    super(type, context);
    this.productData = productData;
    this.locationData = locationData;
    this.stockLevel = stockLevel;
    if (alertData !== undefined) this.alertData = alertData;
  }
}

export class LowStockAlertEvent extends StockAlertEvent {
  static readonly eventType = 'inventory.stock.low';
  constructor(context: EventContext, productData: Alert['productData'], locationData: Alert['locationData'], stockLevel: Alert['stockLevel'], alertData?: Alert['alertData']) {
    super(LowStockAlertEvent.eventType, context, productData, locationData, stockLevel, alertData);
  }
}

export class OutOfStockAlertEvent extends StockAlertEvent {
  static readonly eventType = 'inventory.stock.out';
  constructor(context: EventContext, productData: Alert['productData'], locationData: Alert['locationData'], stockLevel: Alert['stockLevel'], alertData?: Alert['alertData']) {
    super(OutOfStockAlertEvent.eventType, context, productData, locationData, stockLevel, alertData);
  }
}

export class ReorderSuggestedEvent extends StockAlertEvent {
  static readonly eventType = 'inventory.alert.reorder.suggested';
  constructor(context: EventContext, productData: Alert['productData'], locationData: Alert['locationData'], stockLevel: Alert['stockLevel'], alertData?: Alert['alertData']) {
    super(ReorderSuggestedEvent.eventType, context, productData, locationData, stockLevel, alertData);
  }
}

abstract class StockTransferEvent extends BaseEvent<Transfer> {
  productData: Transfer['productData'];
  locationData: Transfer['locationData'];
  destinationData: Transfer['destinationData'];
  transferData: Transfer['transferData'];
  protected constructor(type: string, context: EventContext, productData: Transfer['productData'], locationData: Transfer['locationData'], destinationData: Transfer['destinationData'], transferData: Transfer['transferData']) {
    super(type, context);
    this.productData = productData;
    this.locationData = locationData;
    this.destinationData = destinationData;
    this.transferData = transferData;
  }
}

export class StockTransferRequestedEvent extends StockTransferEvent {
  static readonly eventType = 'inventory.transfer.requested';
  constructor(context: EventContext, productData: Transfer['productData'], locationData: Transfer['locationData'], destinationData: Transfer['destinationData'], transferData: Transfer['transferData']) {
    super(StockTransferRequestedEvent.eventType, context, productData, locationData, destinationData, transferData);
  }
}

export class StockTransferCompletedEvent extends StockTransferEvent {
  static readonly eventType = 'inventory.transfer.completed';
  constructor(context: EventContext, productData: Transfer['productData'], locationData: Transfer['locationData'], destinationData: Transfer['destinationData'], transferData: Transfer['transferData']) {
    super(StockTransferCompletedEvent.eventType, context, productData, locationData, destinationData, transferData);
  }
}

export class ProductCreatedEvent extends BaseEvent<P<'inventory.product.created'>> {
  static readonly eventType = 'inventory.product.created';
  productData: P<'inventory.product.created'>['productData'];
  constructor(context: EventContext, productData: P<'inventory.product.created'>['productData']) {
    super(ProductCreatedEvent.eventType, context);
    this.productData = productData;
  }
}

export class ProductUpdatedEvent extends BaseEvent<P<'inventory.product.updated'>> {
  static readonly eventType = 'inventory.product.updated';
  productData: P<'inventory.product.updated'>['productData'];
  constructor(context: EventContext, productData: P<'inventory.product.updated'>['productData']) {
    super(ProductUpdatedEvent.eventType, context);
    this.productData = productData;
  }
}

export const inventoryEventClasses = [
  StockLevelChangedEvent,
  LowStockAlertEvent,
  OutOfStockAlertEvent,
  ReorderSuggestedEvent,
  StockTransferRequestedEvent,
  StockTransferCompletedEvent,
  ProductCreatedEvent,
  ProductUpdatedEvent,
];

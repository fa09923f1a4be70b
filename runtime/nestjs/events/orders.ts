import type { EventTypes } from '../../events/event-types.ts';
import { BaseEvent, type EventContext } from './base.ts';

/** The seed's order events: lifecycle, payments, fulfilment. Parts typed by the catalog. */

type P<T extends keyof EventTypes> = EventTypes[T];
type Order = P<'orders.order.created'>;
type Paid = P<'orders.order.paid'>;
type Fulfilled = P<'orders.order.shipped'>;
type Payment = P<'orders.payment.received'>;
type FulfillmentUpdate = P<'orders.fulfillment.updated'>;

abstract class OrderEvent<Payload extends Order = Order> extends BaseEvent<Payload> {
  orderData: Order['orderData'];
  customerData?: Order['customerData'];
  locationData?: Order['locationData'];
  protected constructor(type: string, context: EventContext, orderData: Order['orderData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(type, context);
    this.orderData = orderData;
    if (customerData !== undefined) this.customerData = customerData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class OrderCreatedEvent extends OrderEvent {
  static readonly eventType = 'orders.order.created';
  constructor(context: EventContext, orderData: Order['orderData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderCreatedEvent.eventType, context, orderData, customerData, locationData);
  }
}

export class OrderCompletedEvent extends OrderEvent {
  static readonly eventType = 'orders.order.completed';
  constructor(context: EventContext, orderData: Order['orderData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderCompletedEvent.eventType, context, orderData, customerData, locationData);
  }
}

export class OrderPaidEvent extends OrderEvent<Paid> {
  static readonly eventType = 'orders.order.paid';
  paymentData?: Paid['paymentData'];
  constructor(context: EventContext, orderData: Order['orderData'], paymentData?: Paid['paymentData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderPaidEvent.eventType, context, orderData, customerData, locationData);
    if (paymentData !== undefined) this.paymentData = paymentData;
  }
}

abstract class OrderFulfilledEvent extends OrderEvent<Fulfilled> {
  fulfillmentData?: Fulfilled['fulfillmentData'];
  protected constructor(type: string, context: EventContext, orderData: Order['orderData'], fulfillmentData?: Fulfilled['fulfillmentData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(type, context, orderData, customerData, locationData);
    if (fulfillmentData !== undefined) this.fulfillmentData = fulfillmentData;
  }
}

export class OrderShippedEvent extends OrderFulfilledEvent {
  static readonly eventType = 'orders.order.shipped';
  constructor(context: EventContext, orderData: Order['orderData'], fulfillmentData?: Fulfilled['fulfillmentData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderShippedEvent.eventType, context, orderData, fulfillmentData, customerData, locationData);
  }
}

export class OrderDeliveredEvent extends OrderFulfilledEvent {
  static readonly eventType = 'orders.order.delivered';
  constructor(context: EventContext, orderData: Order['orderData'], fulfillmentData?: Fulfilled['fulfillmentData'], customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderDeliveredEvent.eventType, context, orderData, fulfillmentData, customerData, locationData);
  }
}

export class OrderCancelledEvent extends OrderEvent<P<'orders.order.cancelled'>> {
  static readonly eventType = 'orders.order.cancelled';
  reason?: string;
  constructor(context: EventContext, orderData: Order['orderData'], reason?: string, customerData?: Order['customerData'], locationData?: Order['locationData']) {
    super(OrderCancelledEvent.eventType, context, orderData, customerData, locationData);
    if (reason !== undefined) this.reason = reason;
  }
}

abstract class PaymentEvent extends BaseEvent<Payment> {
  orderData: Payment['orderData'];
  paymentData: Payment['paymentData'];
  customerData?: Payment['customerData'];
  locationData?: Payment['locationData'];
  protected constructor(type: string, context: EventContext, orderData: Payment['orderData'], paymentData: Payment['paymentData'], customerData?: Payment['customerData'], locationData?: Payment['locationData']) {
    super(type, context);
    this.orderData = orderData;
    this.paymentData = paymentData;
    if (customerData !== undefined) this.customerData = customerData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class PaymentReceivedEvent extends PaymentEvent {
  static readonly eventType = 'orders.payment.received';
  constructor(context: EventContext, orderData: Payment['orderData'], paymentData: Payment['paymentData'], customerData?: Payment['customerData'], locationData?: Payment['locationData']) {
    super(PaymentReceivedEvent.eventType, context, orderData, paymentData, customerData, locationData);
  }
}

export class PaymentFailedEvent extends PaymentEvent {
  static readonly eventType = 'orders.payment.failed';
  constructor(context: EventContext, orderData: Payment['orderData'], paymentData: Payment['paymentData'], customerData?: Payment['customerData'], locationData?: Payment['locationData']) {
    super(PaymentFailedEvent.eventType, context, orderData, paymentData, customerData, locationData);
  }
}

export class FulfillmentUpdatedEvent extends BaseEvent<FulfillmentUpdate> {
  static readonly eventType = 'orders.fulfillment.updated';
  orderData: FulfillmentUpdate['orderData'];
  fulfillmentData: FulfillmentUpdate['fulfillmentData'];
  locationData?: FulfillmentUpdate['locationData'];
  constructor(context: EventContext, orderData: FulfillmentUpdate['orderData'], fulfillmentData: FulfillmentUpdate['fulfillmentData'], locationData?: FulfillmentUpdate['locationData']) {
    super(FulfillmentUpdatedEvent.eventType, context);
    this.orderData = orderData;
    this.fulfillmentData = fulfillmentData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export const orderEventClasses = [
  OrderCreatedEvent,
  OrderPaidEvent,
  OrderShippedEvent,
  OrderDeliveredEvent,
  OrderCompletedEvent,
  OrderCancelledEvent,
  PaymentReceivedEvent,
  PaymentFailedEvent,
  FulfillmentUpdatedEvent,
];

import type { EventTypes } from '../../events/event-types.ts';
import { BaseEvent, type EventContext } from './base.ts';

/** The seed's customer events: registration, interactions, analytics. Parts typed by the catalog. */

type P<T extends keyof EventTypes> = EventTypes[T];
type Customer = P<'customers.customer.created'>;
type Interaction = P<'customers.interaction.recorded'>;
type Analytics = P<'customers.analytics.updated'>;

export class CustomerRegisteredEvent extends BaseEvent<Customer> {
  static readonly eventType = 'customers.customer.created';
  customerData: Customer['customerData'];
  locationData?: Customer['locationData'];
  constructor(context: EventContext, customerData: Customer['customerData'], locationData?: Customer['locationData']) {
    super(CustomerRegisteredEvent.eventType, context);
    this.customerData = customerData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class CustomerUpdatedEvent extends BaseEvent<Customer> {
  static readonly eventType = 'customers.customer.updated';
  customerData: Customer['customerData'];
  locationData?: Customer['locationData'];
  constructor(context: EventContext, customerData: Customer['customerData'], locationData?: Customer['locationData']) {
    super(CustomerUpdatedEvent.eventType, context);
    this.customerData = customerData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class CustomerInteractionEvent extends BaseEvent<Interaction> {
  static readonly eventType = 'customers.interaction.recorded';
  customerData: Interaction['customerData'];
  interactionData: Interaction['interactionData'];
  locationData?: Interaction['locationData'];
  constructor(context: EventContext, customerData: Interaction['customerData'], interactionData: Interaction['interactionData'], locationData?: Interaction['locationData']) {
    super(CustomerInteractionEvent.eventType, context);
    this.customerData = customerData;
    this.interactionData = interactionData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class CustomerAnalyticsUpdatedEvent extends BaseEvent<Analytics> {
  static readonly eventType = 'customers.analytics.updated';
  customerData: Analytics['customerData'];
  analyticsData: Analytics['analyticsData'];
  constructor(context: EventContext, customerData: Analytics['customerData'], analyticsData: Analytics['analyticsData']) {
    super(CustomerAnalyticsUpdatedEvent.eventType, context);
    this.customerData = customerData;
    this.analyticsData = analyticsData;
  }
}

export const customerEventClasses = [CustomerRegisteredEvent, CustomerUpdatedEvent, CustomerInteractionEvent, CustomerAnalyticsUpdatedEvent];

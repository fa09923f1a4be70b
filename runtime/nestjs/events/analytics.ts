import type { EventTypes } from '../../events/event-types.ts';
import { BaseEvent, type EventContext } from './base.ts';

/** The seed's analytics events: metrics, dashboards, reports, insights, forecasts. Parts typed by the catalog. */

type P<T extends keyof EventTypes> = EventTypes[T];
type Metric = P<'analytics.metric.recorded'>;
type Insight = P<'analytics.insight.generated'>;
type Forecast = P<'analytics.forecast.updated'>;

export class MetricRecordedEvent extends BaseEvent<Metric> {
  static readonly eventType = 'analytics.metric.recorded';
  metricData: Metric['metricData'];
  locationData?: Metric['locationData'];
  constructor(context: EventContext, metricData: Metric['metricData'], locationData?: Metric['locationData']) {
    super(MetricRecordedEvent.eventType, context);
    this.metricData = metricData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class DashboardUpdatedEvent extends BaseEvent<P<'analytics.dashboard.updated'>> {
  static readonly eventType = 'analytics.dashboard.updated';
  dashboardData: P<'analytics.dashboard.updated'>['dashboardData'];
  constructor(context: EventContext, dashboardData: P<'analytics.dashboard.updated'>['dashboardData']) {
    super(DashboardUpdatedEvent.eventType, context);
    this.dashboardData = dashboardData;
  }
}

export class ReportGeneratedEvent extends BaseEvent<P<'analytics.report.generated'>> {
  static readonly eventType = 'analytics.report.generated';
  reportData: P<'analytics.report.generated'>['reportData'];
  constructor(context: EventContext, reportData: P<'analytics.report.generated'>['reportData']) {
    super(ReportGeneratedEvent.eventType, context);
    this.reportData = reportData;
  }
}

export class InsightGeneratedEvent extends BaseEvent<Insight> {
  static readonly eventType = 'analytics.insight.generated';
  insightData: Insight['insightData'];
  productData?: Insight['productData'];
  locationData?: Insight['locationData'];
  constructor(context: EventContext, insightData: Insight['insightData'], productData?: Insight['productData'], locationData?: Insight['locationData']) {
    super(InsightGeneratedEvent.eventType, context);
    this.insightData = insightData;
    if (productData !== undefined) this.productData = productData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export class ForecastUpdatedEvent extends BaseEvent<Forecast> {
  static readonly eventType = 'analytics.forecast.updated';
  forecastData?: Forecast['forecastData'];
  productData?: Forecast['productData'];
  locationData?: Forecast['locationData'];
  constructor(context: EventContext, forecastData?: Forecast['forecastData'], productData?: Forecast['productData'], locationData?: Forecast['locationData']) {
    super(ForecastUpdatedEvent.eventType, context);
    if (forecastData !== undefined) this.forecastData = forecastData;
    if (productData !== undefined) this.productData = productData;
    if (locationData !== undefined) this.locationData = locationData;
  }
}

export const analyticsEventClasses = [MetricRecordedEvent, DashboardUpdatedEvent, ReportGeneratedEvent, InsightGeneratedEvent, ForecastUpdatedEvent];

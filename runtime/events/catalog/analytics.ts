import { z } from 'zod';
import { EventVersions } from '../versions.ts';
import { baseContext, id, locationData, productData, rest, timestamp } from './parts.ts';

/**
 * Analytics events: metrics, dashboards, reports and insights, in the seed's style
 * (`metricData`, `dashboardData`, `reportData`, `insightData`).
 */

const dimensions = z.array(z.object({ name: id, value: z.string() })).optional().describe('labels, e.g. [{ name: "channel", value: "shopee" }]');

const metricV1 = z.object({ metric: id, value: z.number(), ...baseContext });
const metricV2 = z.object({
  metricData: z.object({ name: id, value: z.number(), unit: z.string().optional(), dimensions }),
  locationData: locationData.optional(),
});

const dashboard = z.object({
  dashboardData: z.object({
    id: id.describe('dashboard id'),
    name: z.string().optional(),
    widgets: z.array(z.object({ id, type: z.string().optional(), value: z.number().optional() })).optional(),
    refreshedAt: timestamp.optional(),
  }),
});

const report = z.object({
  reportData: z.object({
    id: id.describe('report id'),
    type: z.string().describe('sales, inventory, tax, …'),
    period: z.object({ from: timestamp, to: timestamp }).optional(),
    format: z.enum(['pdf', 'csv', 'xlsx', 'json']).optional(),
    url: z.string().optional(),
  }),
});

const insight = z.object({
  insightData: z.object({
    id: z.string().optional(),
    type: z.string().describe('demand_spike, slow_mover, margin_drop, …'),
    title: z.string(),
    description: z.string().optional(),
    severity: z.enum(['info', 'warning', 'critical']).optional(),
    confidence: z.number().min(0).max(1).optional(),
  }),
  productData: productData.optional(),
  locationData: locationData.optional(),
});

const forecast = z.object({
  forecastData: z.object({
    horizonDays: z.number().int().min(1).optional(),
    generatedAt: timestamp.optional(),
  }).optional(),
  productData: productData.optional(),
  locationData: locationData.optional(),
});

export const analyticsEvents = {
  'analytics.metric.recorded': EventVersions.of(metricV1).next(metricV2, (v1) => ({
    ...rest(v1, ['metric', 'value']),
    metricData: { name: v1.metric, value: v1.value },
  })),
  'analytics.forecast.updated': EventVersions.of(forecast),
  'analytics.dashboard.updated': EventVersions.of(dashboard),
  'analytics.report.generated': EventVersions.of(report),
  'analytics.insight.generated': EventVersions.of(insight),
};

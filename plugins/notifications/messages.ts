import { createHash } from 'node:crypto';
import type { EventTypes as Payloads } from 'stokcerdas';
import { z } from 'zod';
import type { Notification, NotificationKind } from './events.ts';
import { formatDateTime, formatDuration, formatRupiah, type Language } from './format.ts';

/**
 * The text of each notification, in Bahasa Indonesia or English. Pure: the same event, zone and
 * language always give the same message, so a redelivered event produces the same notification
 * id and text (receivers dedupe on `notificationId`).
 */

/** What a message says about a stock alert (read from the canonical alert by `stockAlertOf`). */
export interface StockAlert {
  productId: string;
  productName?: string;
  sku?: string;
  locationId: string;
  locationName?: string;
  currentLevel: number;
  reorderPoint?: number;
  suggestedQuantity?: number;
  unit?: string;
}

/** What a message says about an order (read from the canonical order events by `orderFactsOf`). */
export interface OrderData {
  orderId: string;
  orderNumber?: string;
  totalAmount?: number;
  paidAt?: string;
  shippedAt?: string;
  cancelledAt?: string;
  reason?: string;
  trackingNumber?: string;
  courier?: string;
}

/**
 * `indonesian.business.sla.breached`, as far as a message needs it. The business-rules plugin
 * publishes it; this plugin does not import that one, so it checks the fields it reads itself.
 */
export const slaBreachSchema = z.object({
  orderId: z.string(),
  sla: z.enum(['payment', 'shipping']),
  deadline: z.string(),
  occurredAt: z.string(),
  lateByMs: z.number(),
  lateByBusinessDays: z.number().int(),
});

export type SlaBreach = z.output<typeof slaBreachSchema>;

export type AlertPayload = Payloads['inventory.stock.low'] | Payloads['inventory.stock.out'] | Payloads['inventory.alert.reorder.suggested'];
export type OrderPayload = Payloads['orders.order.paid'] | Payloads['orders.order.shipped'] | Payloads['orders.order.cancelled'];

export function stockAlertOf(d: AlertPayload): StockAlert {
  const { productData: p, locationData: l, stockLevel, alertData } = d;
  return {
    productId: p.id,
    ...(p.name ? { productName: p.name } : {}),
    ...(p.sku ? { sku: p.sku } : {}),
    ...(p.unit ? { unit: p.unit } : {}),
    locationId: l.id,
    ...(l.name ? { locationName: l.name } : {}),
    currentLevel: stockLevel.current,
    ...(stockLevel.reorderPoint !== undefined ? { reorderPoint: stockLevel.reorderPoint } : {}),
    ...(alertData?.suggestedQuantity !== undefined ? { suggestedQuantity: alertData.suggestedQuantity } : {}),
  };
}

/**
 * Order fields a producer may carry beside the schema's parts: a cancellation time, or what a
 * version 1 (flat) payload had at its top and the upcaster kept there (`paidAt`, `shippedAt`,
 * `courier`, `trackingNumber`).
 */
const carriedOrderFields = z.object({
  paidAt: z.string().optional(),
  shippedAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  courier: z.string().optional(),
  trackingNumber: z.string().optional(),
});

export function orderFactsOf(d: OrderPayload): OrderData {
  const parsed = carriedOrderFields.safeParse(d);
  const carried = parsed.success ? parsed.data : {};
  const payment = 'paymentData' in d ? d.paymentData : undefined;
  const fulfillment = 'fulfillmentData' in d ? d.fulfillmentData : undefined;
  const totalAmount = d.orderData.totalAmount ?? payment?.amount;
  const facts: OrderData = {
    orderId: d.orderData.id,
    orderNumber: d.orderData.orderNumber,
    totalAmount,
    paidAt: payment?.paidAt ?? carried.paidAt,
    shippedAt: fulfillment?.shippedAt ?? carried.shippedAt,
    cancelledAt: carried.cancelledAt,
    reason: 'reason' in d ? d.reason : undefined,
    trackingNumber: fulfillment?.trackingNumber ?? carried.trackingNumber,
    courier: fulfillment?.carrier ?? carried.courier,
  };
  return facts;
}

export interface Source {
  id: string;
  type: string;
  time: string;
  tenantid?: string;
}

export interface Recipient {
  timezone: string;
  language: Language;
}

type Text = { title: string; body: string };

const product = (d: StockAlert) => d.productName ?? d.sku ?? d.productId;
const place = (d: StockAlert) => d.locationName ?? d.locationId;
const order = (d: OrderData) => d.orderNumber ?? d.orderId;
const qty = (n: number, unit: string | undefined, lang: Language) =>
  `${n} ${unit ?? (lang === 'id' || n === 1 ? 'unit' : 'units')}`;

function stockText(kind: NotificationKind, d: StockAlert, when: string, lang: Language): Text {
  const p = product(d);
  const at = place(d);
  const level = qty(d.currentLevel, d.unit, lang);
  if (kind === 'stock-out') {
    return lang === 'id'
      ? { title: `Stok habis: ${p}`, body: `Stok ${p} di ${at} habis (tercatat ${when}). Segera pesan ulang.` }
      : { title: `Out of stock: ${p}`, body: `${p} at ${at} is out of stock (recorded ${when}). Reorder now.` };
  }
  if (kind === 'reorder-suggested') {
    const n = d.suggestedQuantity;
    return lang === 'id'
      ? {
          title: `Saran pesan ulang: ${p}`,
          body: `Disarankan memesan ${n ? `${qty(n, d.unit, lang)} ` : 'ulang '}${p} untuk ${at}; stok saat ini ${level} (${when}).`,
        }
      : {
          title: `Reorder suggested: ${p}`,
          body: `Reorder ${n ? `${qty(n, d.unit, lang)} of ` : ''}${p} for ${at}; ${level} in stock now (${when}).`,
        };
  }
  const rp = d.reorderPoint;
  return lang === 'id'
    ? { title: `Stok menipis: ${p}`, body: `Stok ${p} di ${at} tinggal ${level}${rp !== undefined ? `, di bawah titik pesan ulang ${rp}` : ''} (tercatat ${when}).` }
    : { title: `Low stock: ${p}`, body: `${p} at ${at} is down to ${level}${rp !== undefined ? `, below the reorder point of ${rp}` : ''} (recorded ${when}).` };
}

function orderText(kind: NotificationKind, d: OrderData, when: string, lang: Language): Text {
  const o = order(d);
  const amount = typeof d.totalAmount === 'number' && Number.isSafeInteger(d.totalAmount) ? formatRupiah(d.totalAmount, lang) : undefined;
  if (kind === 'order-paid') {
    return lang === 'id'
      ? { title: `Pesanan ${o} dibayar`, body: `Pembayaran pesanan ${o}${amount ? ` sebesar ${amount}` : ''} diterima ${when}.` }
      : { title: `Order ${o} paid`, body: `Payment${amount ? ` of ${amount}` : ''} for order ${o} received ${when}.` };
  }
  if (kind === 'order-shipped') {
    const via = d.courier ? (lang === 'id' ? ` melalui ${d.courier}` : ` with ${d.courier}`) : '';
    const track = d.trackingNumber ? (lang === 'id' ? ` Nomor resi: ${d.trackingNumber}.` : ` Tracking number: ${d.trackingNumber}.`) : '';
    return lang === 'id'
      ? { title: `Pesanan ${o} dikirim`, body: `Pesanan ${o} dikirim${via} ${when}.${track}` }
      : { title: `Order ${o} shipped`, body: `Order ${o} shipped${via} ${when}.${track}` };
  }
  const why = d.reason ? (lang === 'id' ? ` Alasan: ${d.reason}.` : ` Reason: ${d.reason}.`) : '';
  return lang === 'id'
    ? { title: `Pesanan ${o} dibatalkan`, body: `Pesanan ${o}${amount ? ` senilai ${amount}` : ''} dibatalkan ${when}.${why}` }
    : { title: `Order ${o} cancelled`, body: `Order ${o}${amount ? ` worth ${amount}` : ''} was cancelled ${when}.${why}` };
}

function slaText(d: SlaBreach, r: Recipient): Text {
  const lang = r.language;
  const deadline = formatDateTime(d.deadline, r.timezone, lang);
  const happened = formatDateTime(d.occurredAt, r.timezone, lang);
  if (lang === 'id') {
    const what = d.sla === 'payment' ? 'pembayaran' : 'pengiriman';
    const late = d.lateByBusinessDays > 0 ? `${d.lateByBusinessDays} hari kerja` : formatDuration(d.lateByMs, 'id');
    return {
      title: `SLA ${what} terlewati: pesanan ${d.orderId}`,
      body: `Batas waktu ${what} pesanan ${d.orderId} adalah ${deadline}, tetapi baru terjadi ${happened} (terlambat ${late}).`,
    };
  }
  const late = d.lateByBusinessDays > 0 ? `${d.lateByBusinessDays} business day${d.lateByBusinessDays > 1 ? 's' : ''}` : formatDuration(d.lateByMs, 'en');
  return {
    title: `${d.sla === 'payment' ? 'Payment' : 'Shipping'} SLA missed: order ${d.orderId}`,
    body: `The ${d.sla} deadline for order ${d.orderId} was ${deadline}; it happened ${happened} (${late} late).`,
  };
}

/** When the thing happened: the order's own timestamp when it carries one, else the event's time. */
function happenedAt(kind: NotificationKind, data: OrderData, source: Source): string {
  const own = kind === 'order-paid' ? data.paidAt : kind === 'order-shipped' ? data.shippedAt : kind === 'order-cancelled' ? data.cancelledAt : undefined;
  return typeof own === 'string' && !Number.isNaN(Date.parse(own)) ? own : source.time;
}

export function notificationId(sourceEventId: string, kind: NotificationKind): string {
  return `ntf_${createHash('sha256').update(`${sourceEventId}|${kind}`).digest('hex').slice(0, 32)}`;
}

/** What a notification is about, by kind. */
export type Topic =
  | { kind: 'stock-low' | 'stock-out' | 'reorder-suggested'; alert: StockAlert }
  | { kind: 'order-paid' | 'order-shipped' | 'order-cancelled'; order: OrderData }
  | { kind: 'sla-breached'; breach: SlaBreach };

/** The notification for one source event. */
export function compose(topic: Topic, source: Source, r: Recipient, urgent: boolean, now: number): Notification {
  const { kind } = topic;
  let text: Text;
  let subject: Notification['subject'];
  if (topic.kind === 'sla-breached') {
    text = slaText(topic.breach, r);
    subject = { orderId: topic.breach.orderId };
  } else if ('alert' in topic) {
    const d = topic.alert;
    text = stockText(topic.kind, d, formatDateTime(source.time, r.timezone, r.language), r.language);
    subject = { productId: d.productId, locationId: d.locationId };
  } else {
    const d = topic.order;
    text = orderText(topic.kind, d, formatDateTime(happenedAt(topic.kind, d, source), r.timezone, r.language), r.language);
    subject = { orderId: d.orderId };
  }
  return {
    notificationId: notificationId(source.id, kind),
    kind,
    urgent,
    language: r.language,
    ...text,
    ...(source.tenantid ? { tenantId: source.tenantid } : {}),
    timezone: r.timezone,
    subject,
    source: { eventId: source.id, type: source.type, time: source.time },
    createdAt: new Date(now).toISOString(),
  };
}

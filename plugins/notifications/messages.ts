import { createHash } from 'node:crypto';
import type { Notification, NotificationKind } from './events.ts';
import { formatDateTime, formatDuration, formatRupiah, type Language } from './format.ts';

/**
 * The text of each notification, in Bahasa Indonesia or English. Pure: the same event, zone and
 * language always give the same message, so a redelivered event produces the same notification
 * id and text (receivers dedupe on `notificationId`).
 */

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

export interface SlaBreach {
  orderId: string;
  sla: 'payment' | 'shipping';
  deadline: string;
  occurredAt: string;
  lateByMs: number;
  lateByBusinessDays: number;
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

/** The notification for one source event; `data` is its payload, already checked by its schema. */
export function compose(kind: NotificationKind, data: unknown, source: Source, r: Recipient, urgent: boolean, now: number): Notification {
  let text: Text;
  let subject: Notification['subject'];
  if (kind === 'stock-low' || kind === 'stock-out' || kind === 'reorder-suggested') {
    const d = data as StockAlert;
    text = stockText(kind, d, formatDateTime(source.time, r.timezone, r.language), r.language);
    subject = { productId: d.productId, locationId: d.locationId };
  } else if (kind === 'sla-breached') {
    const d = data as SlaBreach;
    text = slaText(d, r);
    subject = { orderId: d.orderId };
  } else {
    const d = data as OrderData;
    text = orderText(kind, d, formatDateTime(happenedAt(kind, d, source), r.timezone, r.language), r.language);
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

/**
 * Generated store traffic for `stokcerdas demo`: three shops in WIB, WITA and WIT, four weeks of
 * sales history (so forecasting has a series to fit) and then one busy day of orders, payments,
 * shipments and stock movements. Deterministic: the same seed gives the same day.
 */
export interface DemoTenant {
  id: string;
  name: string;
  province: string;
  timezone: string;
  /** local opening hours of the shop: traffic falls between them */
  openHour: number;
  closeHour: number;
}

export interface DemoEvent {
  at: number;
  type: string;
  data: Record<string, unknown>;
  tenantId: string;
}

export const demoTenants: DemoTenant[] = [
  { id: 'toko-jakarta', name: 'Toko Sembako Jakarta', province: 'ID-JK', timezone: 'Asia/Jakarta', openHour: 7, closeHour: 21 },
  { id: 'toko-bali', name: 'Warung Bali', province: 'ID-BA', timezone: 'Asia/Makassar', openHour: 8, closeHour: 22 },
  { id: 'toko-papua', name: 'Kios Jayapura', province: 'ID-PA', timezone: 'Asia/Jayapura', openHour: 8, closeHour: 20 },
];

interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
  dailyDemand: number;
  halal?: string;
}

const products: Product[] = [
  { id: 'BERAS-5KG', name: 'Beras Premium 5kg', category: 'food', price: 78_000, dailyDemand: 14, halal: 'ID00110012345670224' },
  { id: 'MINYAK-2L', name: 'Minyak Goreng 2L', category: 'food', price: 36_500, dailyDemand: 9, halal: 'ID00110099887760123' },
  { id: 'KURMA-1KG', name: 'Kurma Ajwa 1kg', category: 'food', price: 125_000, dailyDemand: 5 },
  { id: 'SIRUP-ABC', name: 'Sirup Marjan 460ml', category: 'beverage', price: 24_000, dailyDemand: 7, halal: 'ID00210011223340521' },
  { id: 'SARUNG-01', name: 'Sarung Tenun', category: 'muslim-fashion', price: 185_000, dailyDemand: 2 },
];

/** mulberry32: small, seedable, good enough for traffic */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OFFSET_HOURS: Record<string, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** UTC ms of a local wall-clock hour on a civil day (these zones have no DST). */
function localHour(dayUtcMidnight: number, tenant: DemoTenant, hour: number): number {
  return dayUtcMidnight + (hour - OFFSET_HOURS[tenant.timezone]!) * HOUR;
}

/** The shop's warehouse: its province picks the zone of every event. */
const locationData = (t: DemoTenant) => ({ id: `WH-${t.id}`, name: t.name, province: t.province });
const productData = (p: Product) => ({ id: p.id, name: p.name, category: p.category });

/**
 * Four weeks of daily sales (one `sale` movement per product per day, at midday) before `day`.
 * Every payload is in the canonical shape (`productData`, `locationData`, `orderData`, …).
 * Stock starts high, so the history itself raises no alerts.
 */
export function history(day: string, seed = 7, days = 28): DemoEvent[] {
  const random = rng(seed);
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const events: DemoEvent[] = [];
  for (const tenant of demoTenants) {
    for (const p of products) {
      let level = p.dailyDemand * 60;
      for (let d = days; d >= 1; d--) {
        const weekday = new Date(dayStart - d * DAY).getUTCDay();
        const weekend = weekday === 0 || weekday === 6 ? 1.3 : 1;
        const sold = Math.max(0, Math.round(p.dailyDemand * weekend * (0.7 + random() * 0.6)));
        events.push({
          at: localHour(dayStart - d * DAY, tenant, 12),
          type: 'inventory.stock.level.changed',
          tenantId: tenant.id,
          data: {
            productData: productData(p),
            locationData: locationData(tenant),
            stockMovement: { type: 'sale', quantity: -sold },
            stockLevel: { previous: level, current: level - sold },
          },
        });
        level -= sold;
      }
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

/** One day of shop traffic: orders through their life cycle and the stock they move. */
export function oneDay(day: string, seed = 11): DemoEvent[] {
  const random = rng(seed);
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const events: DemoEvent[] = [];
  let orderNo = 1000;
  for (const tenant of demoTenants) {
    const stock = new Map(products.map((p) => [p.id, p.dailyDemand * 2]));
    for (let hour = tenant.openHour; hour < tenant.closeHour; hour++) {
      const orders = 1 + Math.floor(random() * 3);
      for (let i = 0; i < orders; i++) {
        const at = localHour(dayStart, tenant, hour) + Math.floor(random() * 50) * 60_000;
        const chosen = products.filter(() => random() < 0.45);
        if (chosen.length === 0) continue;
        const orderId = `${tenant.id}-${orderNo++}`;
        const items = chosen.map((p) => ({
          productData: { ...productData(p), ...(p.halal ? { halalCertificateNumber: p.halal } : {}) },
          quantity: 1 + Math.floor(random() * 3),
          unitPrice: p.price,
        }));
        const totalAmount = items.reduce((sum, it) => sum + it.quantity * it.unitPrice, 0);
        const orderData = {
          id: orderId,
          channel: random() < 0.5 ? 'tokopedia' : 'shopee',
          items,
          totalAmount,
          currency: 'IDR',
          orderedAt: new Date(at).toISOString(),
        };
        const base = { customerData: { id: `cust-${Math.floor(random() * 40)}` }, locationData: locationData(tenant) };
        events.push({ at, type: 'orders.order.created', tenantId: tenant.id, data: { ...base, orderData: { ...orderData, status: 'created' } } });
        // some customers pay late (next morning): a payment SLA breach for business-rules
        const paidAt = at + (random() < 0.15 ? 40 * HOUR : (5 + Math.floor(random() * 40)) * 60_000);
        const paymentData = { method: random() < 0.6 ? 'qris' : 'bank_transfer', amount: totalAmount, paidAt: new Date(paidAt).toISOString() };
        events.push({ at: paidAt, type: 'orders.order.paid', tenantId: tenant.id, data: { ...base, orderData: { ...orderData, status: 'paid' }, paymentData } });
        const shippedAt = paidAt + (1 + Math.floor(random() * 5)) * HOUR;
        events.push({
          at: shippedAt,
          type: 'orders.order.shipped',
          tenantId: tenant.id,
          // the payment rides along: the shipping SLA counts from it
          data: { ...base, orderData: { ...orderData, status: 'shipped' }, paymentData, fulfillmentData: { status: 'shipped', carrier: 'JNE', shippedAt: new Date(shippedAt).toISOString() } },
        });
        events.push({ at: shippedAt + 30 * 60_000, type: 'orders.order.completed', tenantId: tenant.id, data: { ...base, orderData: { ...orderData, status: 'completed' } } });
        for (const item of items) {
          const product = item.productData;
          const before = stock.get(product.id)!;
          const after = Math.max(0, before - item.quantity);
          stock.set(product.id, after === 0 ? 40 : after); // restocked when it runs out
          const where = locationData(tenant);
          events.push({
            at: at + 60_000,
            type: 'inventory.stock.level.changed',
            tenantId: tenant.id,
            data: {
              productData: product,
              locationData: where,
              stockMovement: { type: 'sale', quantity: after - before, referenceId: orderId },
              stockLevel: { previous: before, current: after, reorderPoint: 10 },
            },
          });
          if (after === 0) {
            events.push({ at: at + 90_000, type: 'inventory.stock.out', tenantId: tenant.id, data: { productData: product, locationData: where, stockLevel: { current: 0, reorderPoint: 10 }, alertData: { severity: 'critical' } } });
          } else if (after <= 10 && before > 10) {
            events.push({ at: at + 90_000, type: 'inventory.stock.low', tenantId: tenant.id, data: { productData: product, locationData: where, stockLevel: { current: after, reorderPoint: 10 }, alertData: { severity: 'warning' } } });
          }
        }
      }
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

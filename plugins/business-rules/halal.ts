import { inCategories, type BusinessRulesOptions } from './options.ts';

/**
 * Halal certification (Jaminan Produk Halal, UU 33/2014): food and beverage products sold in
 * Indonesia need a halal certificate. A product in a halal category without a certificate number
 * is reported as an `indonesian.business.rule.violated` event, never thrown: the order or product
 * is still valid data, and a retry would not make the certificate appear.
 */

export const HALAL_RULE = 'halal-certificate-required';

export interface HalalViolation {
  rule: typeof HALAL_RULE;
  severity: 'warning' | 'error';
  subject: 'order-item' | 'product';
  orderId?: string;
  productId: string;
  productName?: string;
  category: string;
  message: string;
}

export interface HalalItem {
  productId?: unknown;
  productName?: unknown;
  name?: unknown;
  category?: unknown;
  halalCertificateNumber?: unknown;
}

export type HalalPolicy = BusinessRulesOptions['halal'];

export function hasCertificate(item: HalalItem): boolean {
  return typeof item.halalCertificateNumber === 'string' && item.halalCertificateNumber.trim() !== '';
}

function violation(item: HalalItem, policy: HalalPolicy, subject: HalalViolation['subject'], orderId?: string): HalalViolation | undefined {
  if (!inCategories(item.category, policy.categories) || hasCertificate(item)) return undefined;
  const productId = String(item.productId ?? '');
  const productName = typeof item.productName === 'string' ? item.productName : typeof item.name === 'string' ? item.name : undefined;
  const where = orderId ? ` in order ${orderId}` : '';
  return {
    rule: HALAL_RULE,
    severity: policy.severity,
    subject,
    ...(orderId ? { orderId } : {}),
    productId,
    ...(productName ? { productName } : {}),
    category: String(item.category),
    message:
      `product ${productId}${productName ? ` (${productName})` : ''}${where} is in category "${String(item.category)}", ` +
      'which needs a halal certificate (UU 33/2014), and has no halalCertificateNumber',
  };
}

/** One violation per order item that needs a certificate and has none. */
export function halalViolationsForOrder(order: { orderId: string; items?: readonly HalalItem[] }, policy: HalalPolicy): HalalViolation[] {
  const out: HalalViolation[] = [];
  for (const item of order.items ?? []) {
    const v = violation(item, policy, 'order-item', order.orderId);
    if (v) out.push(v);
  }
  return out;
}

export function halalViolationForProduct(product: HalalItem, policy: HalalPolicy): HalalViolation | undefined {
  return violation(product, policy, 'product');
}

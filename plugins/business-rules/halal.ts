import type { EventTypes as Payloads } from 'stokcerdas';
import { inCategories, type BusinessRulesOptions } from './options.ts';

/**
 * Halal certification (Jaminan Produk Halal, UU 33/2014): food and beverage products sold in
 * Indonesia need a halal certificate. A product in a halal category without a certificate number
 * is reported as an `indonesian.business.rule.violated` event, never thrown: the order or product
 * is still valid data, and a retry would not make the certificate appear.
 */

export const HALAL_RULE = 'halal-certificate-required';

export type HalalViolation = {
  rule: typeof HALAL_RULE;
  severity: 'warning' | 'error';
  subject: 'order-item' | 'product';
  orderId?: string;
  productId: string;
  productName?: string;
  category: string;
  message: string;
};

/** The `productData` of an order item or a product event. */
export type HalalProduct = Payloads['inventory.product.created']['productData'];

/** What the order rule reads of an order: its `orderData`. */
export type HalalOrder = Pick<Payloads['orders.order.created']['orderData'], 'id' | 'items'>;

export type HalalPolicy = BusinessRulesOptions['halal'];

export function hasCertificate(product: HalalProduct): boolean {
  return typeof product.halalCertificateNumber === 'string' && product.halalCertificateNumber.trim() !== '';
}

function violation(product: HalalProduct, policy: HalalPolicy, subject: HalalViolation['subject'], orderId?: string): HalalViolation | undefined {
  const { category } = product;
  if (category === undefined || !inCategories(category, policy.categories) || hasCertificate(product)) return undefined;
  const productId = product.id;
  const productName = product.name;
  const where = orderId ? ` in order ${orderId}` : '';
  return {
    rule: HALAL_RULE,
    severity: policy.severity,
    subject,
    ...(orderId ? { orderId } : {}),
    productId,
    ...(productName ? { productName } : {}),
    category,
    message:
      `product ${productId}${productName ? ` (${productName})` : ''}${where} is in category "${category}", ` +
      'which needs a halal certificate (UU 33/2014), and has no halalCertificateNumber',
  };
}

/** One violation per order item that needs a certificate and has none. */
export function halalViolationsForOrder(order: HalalOrder, policy: HalalPolicy): HalalViolation[] {
  const out: HalalViolation[] = [];
  for (const item of order.items ?? []) {
    const v = violation(item.productData, policy, 'order-item', order.id);
    if (v) out.push(v);
  }
  return out;
}

export function halalViolationForProduct(product: HalalProduct, policy: HalalPolicy): HalalViolation | undefined {
  return violation(product, policy, 'product');
}

import { describe, expect, it } from 'vitest';
import { halalViolationForProduct, halalViolationsForOrder } from './halal.ts';
import { businessRulesOptionsSchema } from './options.ts';

const policy = businessRulesOptionsSchema.parse({}).halal;
type Product = { name?: string; category?: string; halalCertificateNumber?: string };
const order = (products: Product[]) => ({
  id: 'o1',
  items: products.map((p, n) => ({ productData: { id: `p${n}`, ...p }, quantity: 1, unitPrice: 10_000 })),
});

describe('halal certificate rule', () => {
  it('reports a food item without a certificate number', () => {
    expect(halalViolationsForOrder(order([{ category: 'food', name: 'Keripik' }]), policy)).toEqual([
      {
        rule: 'halal-certificate-required',
        severity: 'error',
        subject: 'order-item',
        orderId: 'o1',
        productId: 'p0',
        productName: 'Keripik',
        category: 'food',
        message: expect.stringContaining('needs a halal certificate'),
      },
    ]);
  });

  it('accepts a food item with a certificate number', () => {
    expect(halalViolationsForOrder(order([{ category: 'food', halalCertificateNumber: 'ID00410000123450123' }]), policy)).toEqual([]);
  });

  it('treats a blank certificate number as missing', () => {
    expect(halalViolationsForOrder(order([{ category: 'beverage', halalCertificateNumber: '  ' }]), policy)).toHaveLength(1);
  });

  it('matches categories without case and includes sub-categories', () => {
    const found = halalViolationsForOrder(order([{ category: 'Food' }, { category: 'food/snacks' }, { category: 'MINUMAN' }, { category: 'seafood' }]), policy);
    expect(found.map((v) => v.productId)).toEqual(['p0', 'p1', 'p2']);
  });

  it('leaves other categories and items without one alone', () => {
    expect(halalViolationsForOrder(order([{ category: 'electronics' }, {}]), policy)).toEqual([]);
    expect(halalViolationsForOrder({ id: 'o2' }, policy)).toEqual([]);
  });

  it('uses the configured categories and severity', () => {
    const custom = businessRulesOptionsSchema.parse({ halal: { categories: ['Cosmetics'], severity: 'warning' } }).halal;
    const found = halalViolationsForOrder(order([{ category: 'cosmetics' }, { category: 'food' }]), custom);
    expect(found).toEqual([expect.objectContaining({ productId: 'p0', severity: 'warning' })]);
  });

  it('checks products as they are created or updated', () => {
    expect(halalViolationForProduct({ id: 'p9', name: 'Sirup', category: 'beverage' }, policy)).toMatchObject({
      subject: 'product',
      productId: 'p9',
      productName: 'Sirup',
    });
    expect(halalViolationForProduct({ id: 'p9', category: 'beverage', halalCertificateNumber: 'X1' }, policy)).toBeUndefined();
  });
});

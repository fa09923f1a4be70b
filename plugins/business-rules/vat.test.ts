import { describe, expect, it } from 'vitest';
import { jakartaDate, vatFor, vatForOrder } from './vat.ts';

// The worked examples of test/unit/context/reference/ppn.md §3, to the rupiah.
describe('ppn.md example A: ordinary goods, Rp1,000,000', () => {
  it('delivered 2025-06-10: DPP nilai lain Rp916,666 and PPN Rp110,000 (12 % × 11/12)', () => {
    expect(vatFor(1_000_000, '2025-06-10')).toMatchObject({
      statutoryRatePercent: 12,
      effectiveRatePercent: 11,
      dpp: 916_666,
      dppNilaiLain: true,
      ppn: 110_000,
    });
  });

  it('does not lose the rupiah that truncating the DPP first would (Rp109,999)', () => {
    expect(vatFor(1_000_000, '2025-06-10').ppn).not.toBe(109_999);
  });

  it('on 2022-03-31 was 10 %: Rp100,000; on 2022-04-01, 11 %: Rp110,000', () => {
    expect(vatFor(1_000_000, '2022-03-31')).toMatchObject({ statutoryRatePercent: 10, dpp: 1_000_000, ppn: 100_000 });
    expect(vatFor(1_000_000, '2022-04-01')).toMatchObject({ statutoryRatePercent: 11, dpp: 1_000_000, ppn: 110_000 });
  });
});

describe('ppn.md example B: awkward price Rp3,453,454 after 1 Jan 2025', () => {
  it('DPP Rp3,165,666 and PPN Rp379,879 (rounded down)', () => {
    expect(vatFor(3_453_454, '2025-01-01')).toMatchObject({ dpp: 3_165_666, ppn: 379_879 });
  });

  it("matches the government's Rp50,000,000 illustration: DPP Rp45,833,333, PPN Rp5,500,000", () => {
    expect(vatFor(50_000_000, '2025-03-01')).toMatchObject({ dpp: 45_833_333, ppn: 5_500_000 });
  });
});

describe('ppn.md example C: luxury good (PPnBM vehicle), Rp500,000,000', () => {
  it('delivered 2025-01-15 (transition month): PPN Rp55,000,000 on DPP Rp458,333,333', () => {
    expect(vatFor(500_000_000, '2025-01-15', 'luxury')).toMatchObject({
      statutoryRatePercent: 12,
      dpp: 458_333_333,
      dppNilaiLain: true,
      ppn: 55_000_000,
    });
  });

  it('delivered on or after 2025-02-01: PPN Rp60,000,000 on the full price', () => {
    expect(vatFor(500_000_000, '2025-02-01', 'luxury')).toMatchObject({
      statutoryRatePercent: 12,
      effectiveRatePercent: 12,
      dpp: 500_000_000,
      dppNilaiLain: false,
      ppn: 60_000_000,
    });
  });
});

describe('rate boundaries', () => {
  it('changes on the day: 31 Dec 2024 at 11 % of the price, 1 Jan 2025 on DPP 11/12', () => {
    expect(vatFor(3_453_454, '2024-12-31')).toMatchObject({ statutoryRatePercent: 11, dpp: 3_453_454, ppn: 379_879 });
    expect(vatFor(3_453_454, '2025-01-01')).toMatchObject({ statutoryRatePercent: 12, dpp: 3_165_666, ppn: 379_879 });
  });

  it('ends the luxury transition on 31 January 2025', () => {
    expect(vatFor(500_000_000, '2025-01-31', 'luxury').ppn).toBe(55_000_000);
    expect(vatFor(500_000_000, '2025-02-01', 'luxury').ppn).toBe(60_000_000);
  });

  it('charges luxury goods like others before 2025', () => {
    expect(vatFor(500_000_000, '2024-06-01', 'luxury')).toMatchObject({ statutoryRatePercent: 11, ppn: 55_000_000 });
  });

  it('charges nothing on an exempt amount', () => {
    expect(vatFor(1_000_000, '2025-06-10', 'exempt')).toMatchObject({ ppn: 0, dpp: 0, effectiveRatePercent: 0 });
  });
});

describe('whole rupiah only', () => {
  it('refuses fractions and negative amounts', () => {
    expect(() => vatFor(1000.5, '2025-06-10')).toThrow(RangeError);
    expect(() => vatFor(-1, '2025-06-10')).toThrow(RangeError);
  });

  it('computes exactly beyond float precision of the product', () => {
    // 9e15 × 11 overflows 2^53: BigInt keeps every rupiah
    expect(vatFor(900_000_000_000_001n, '2025-06-10').ppn).toBe(99_000_000_000_000);
  });
});

describe('an order', () => {
  it('sums the lines per class and rounds PPN once per class', () => {
    const vat = vatForOrder(
      [
        { productId: 'a', quantity: 3, unitPrice: 33_333, vatClass: 'standard' },
        { productId: 'b', quantity: 1, unitPrice: 1, vatClass: 'standard' },
        { productId: 'car', quantity: 1, unitPrice: 500_000_000, vatClass: 'luxury' },
        { productId: 'rice', quantity: 2, unitPrice: 70_000, vatClass: 'exempt' },
      ],
      '2025-06-10',
    );
    expect(vat.lines.map((l) => l.amount)).toEqual([99_999, 1, 500_000_000, 140_000]);
    expect(vat.groups).toEqual([
      expect.objectContaining({ vatClass: 'standard', amount: 100_000, dpp: 91_666, ppn: 11_000 }),
      expect.objectContaining({ vatClass: 'luxury', amount: 500_000_000, ppn: 60_000_000 }),
      expect.objectContaining({ vatClass: 'exempt', amount: 140_000, ppn: 0 }),
    ]);
    expect(vat).toMatchObject({ totalAmount: 500_240_000, totalPpn: 60_011_000, totalWithPpn: 560_251_000 });
  });
});

describe('the tax date', () => {
  it('is the WIB civil date of the delivery', () => {
    expect(jakartaDate('2025-01-01')).toBe('2025-01-01');
    expect(jakartaDate('2024-12-31T16:59:59Z')).toBe('2024-12-31');
    expect(jakartaDate('2024-12-31T17:00:00Z')).toBe('2025-01-01');
    expect(jakartaDate('2025-01-01T06:00:00+09:00')).toBe('2025-01-01');
    expect(jakartaDate('soon')).toBeUndefined();
  });
});

/**
 * Indonesian VAT (PPN) by the date of the taxable delivery, in integer rupiah (the rule
 * and worked examples are in test/unit/context/reference/ppn.md). All arithmetic is BigInt: a float
 * is off by a rupiah on prices like Rp3,453,454 × 11 %.
 *
 *   before 2022-04-01                    10 % of the price            UU PPN Art. 7(1)
 *   2022-04-01 … 2024-12-31              11 % of the price            UU HPP Art. 7(1)(a)
 *   from 2025, luxury (PPnBM) goods      12 % of the price            PMK 131/2024 Art. 2
 *     (January 2025 transition: 12 % of DPP 11/12 × price)
 *   from 2025, everything else           12 % of DPP 11/12 × price    PMK 131/2024 Art. 3
 *
 * PPN is floor(price × 11 / 100) where the base is 11/12: exactly 12 % × 11/12 × price, rounded
 * down once (ppn.md §2). Truncating the DPP first could lose a rupiah, so the DPP is reported for
 * the invoice but never used in the PPN.
 */

export type VatClass = 'standard' | 'luxury' | 'exempt';

export type VatAmount = {
  /** the statutory rate on the invoice: 10, 11 or 12 (0 when exempt) */
  statutoryRatePercent: 0 | 10 | 11 | 12;
  /** what the buyer pays in effect: 12 % × 11/12 = 11 % */
  effectiveRatePercent: number;
  /** tax base (DPP), whole rupiah rounded down; 11/12 of the price under PMK 131/2024 */
  dpp: number;
  /** true when the base is DPP nilai lain (11/12; Coretax transaction code 04) */
  dppNilaiLain: boolean;
  ppn: number;
  legalBasis: string;
};

const LAST_10_PERCENT = '2022-03-31';
const LAST_11_PERCENT = '2024-12-31';
const LAST_LUXURY_TRANSITION = '2025-01-31';

/** PPN on one amount (before tax, whole rupiah) delivered on a civil date (YYYY-MM-DD, WIB). */
export function vatFor(amount: number | bigint, taxDate: string, vatClass: VatClass = 'standard'): VatAmount {
  const price = toRupiah(amount, 'amount');
  if (vatClass === 'exempt') {
    return { statutoryRatePercent: 0, effectiveRatePercent: 0, dpp: 0, dppNilaiLain: false, ppn: 0, legalBasis: 'exempt (not charged)' };
  }
  if (taxDate <= LAST_10_PERCENT) return full(price, 10, 'UU 42/2009 (UU PPN) Art. 7(1): 10 %');
  if (taxDate <= LAST_11_PERCENT) return full(price, 11, 'UU 7/2021 (UU HPP) Art. 7(1)(a): 11 %');
  if (vatClass === 'luxury' && taxDate > LAST_LUXURY_TRANSITION) {
    return full(price, 12, 'PMK 131/2024 Art. 2: luxury (PPnBM) goods, 12 % of the price');
  }
  return {
    statutoryRatePercent: 12,
    effectiveRatePercent: 11,
    dpp: toNumber((price * 11n) / 12n),
    dppNilaiLain: true,
    ppn: toNumber((price * 11n) / 100n),
    legalBasis:
      vatClass === 'luxury'
        ? 'PMK 131/2024 Art. 2: luxury goods, January 2025 transition, 12 % of DPP 11/12'
        : 'PMK 131/2024 Art. 3: 12 % of DPP nilai lain (11/12 of the price)',
  };
}

function full(price: bigint, rate: 10 | 11 | 12, legalBasis: string): VatAmount {
  return {
    statutoryRatePercent: rate,
    effectiveRatePercent: rate,
    dpp: toNumber(price),
    dppNilaiLain: false,
    ppn: toNumber((price * BigInt(rate)) / 100n),
    legalBasis,
  };
}

export type VatLineInput = {
  productId: string;
  quantity: number;
  /** whole rupiah, before PPN */
  unitPrice: number;
  vatClass: VatClass;
};

export type VatLine = VatLineInput & {
  amount: number;
};

export type VatGroup = VatAmount & {
  vatClass: VatClass;
  amount: number;
};

export type OrderVat = {
  taxDate: string;
  lines: VatLine[];
  /** one group per class: the invoice rounds PPN once per base, not per line */
  groups: VatGroup[];
  totalAmount: number;
  totalPpn: number;
  totalWithPpn: number;
};

/** PPN of a whole order: lines summed per class, PPN computed on each class total. */
export function vatForOrder(items: readonly VatLineInput[], taxDate: string): OrderVat {
  const sums = new Map<VatClass, bigint>();
  const lines = items.map((item) => {
    const amount = toRupiah(item.quantity, 'quantity') * toRupiah(item.unitPrice, 'unitPrice');
    sums.set(item.vatClass, (sums.get(item.vatClass) ?? 0n) + amount);
    return { ...item, amount: toNumber(amount) };
  });
  const order: VatClass[] = ['standard', 'luxury', 'exempt'];
  const groups = order
    .filter((c) => sums.has(c))
    .map((vatClass) => ({ vatClass, amount: toNumber(sums.get(vatClass)!), ...vatFor(sums.get(vatClass)!, taxDate, vatClass) }));
  const totalAmount = [...sums.values()].reduce((a, b) => a + b, 0n);
  const totalPpn = groups.reduce((a, g) => a + BigInt(g.ppn), 0n);
  return {
    taxDate,
    lines,
    groups,
    totalAmount: toNumber(totalAmount),
    totalPpn: toNumber(totalPpn),
    totalWithPpn: toNumber(totalAmount + totalPpn),
  };
}

/**
 * The civil date in WIB (UTC+7, no DST since 1964) of a delivery: `YYYY-MM-DD` as it is, a
 * timestamp converted. ppn.md §4 dates deliveries in Asia/Jakarta whatever the buyer's zone.
 */
export function jakartaDate(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
}

function toRupiah(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`${what} must not be negative, got ${value}`);
    return value;
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole, non-negative number of rupiah, got ${value}`);
  }
  return BigInt(value);
}

/** Back to a JSON number; beyond 2^53 rupiah (9 quadrillion) a number would silently round. */
function toNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Rp${value} is too large to carry as a JSON number`);
  return Number(value);
}

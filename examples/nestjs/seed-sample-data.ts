/**
 * The seed's `updateStock` example names `productData`, `locationData`, `stockMovement` and
 * `stockLevel` without defining them; these are the values the example app gives them.
 */
export const productData = { id: 'PROD-001', sku: 'MG-2L', name: 'Minyak Goreng 2 L', category: 'sembako' };
export const locationData = { id: 'LOC-001', name: 'Gudang Denpasar', province: 'ID-BA' };
export const stockMovement = { type: 'sale' as const, quantity: -5, referenceId: 'ORD-1001' };
export const stockLevel = { previous: 100, current: 95, reorderPoint: 20 };

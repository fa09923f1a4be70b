import { MemoryTransport, type MemoryTransportOptions } from './memory-transport.ts';

export { MemoryTransport, type MemoryTransportOptions } from './memory-transport.ts';

export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  return new MemoryTransport(options);
}

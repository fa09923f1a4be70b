import { defineConfig } from 'stokcerdas';

// Only what differs from the defaults belongs here: every default is in config/defaults.ts, so
// this file can stay empty. Environment variables (RABBITMQ_URL, EVENT_BUS_*, STOKCERDAS_*) and CLI
// flags override it. With no broker URL the host runs on the embedded memory transport.
//
// For example:
//   broker: { url: 'amqp://user:pass@rabbitmq:5672', queueType: 'quorum' },
//   plugins: { options: { notifications: { webhookUrl: 'https://…' } } },
//   context: { tenants: { 'toko-1': { province: 'ID-BA' } } },
export default defineConfig({});

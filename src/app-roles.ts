import type { ProcessRole } from './config/environment.js';

/**
 * Whether a process of this ROLE serves the HTTP APIs: the OAuth endpoints,
 * the admin and organization APIs and /docs. All but a worker, which serves
 * only its probes and /metrics, and runs the sync scheduler.
 */
export function servesApis(role: ProcessRole): boolean {
  return role !== 'worker';
}

import { STATUS_CODES } from 'node:http';

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** How figures read in the table: fixed units, thousands separated, so columns compare at a glance. */

const MB = 1024 * 1024;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : formatCount(value)} ms`;
}

/** Bytes as MB (2^20 bytes, as the kernel's kB are 2^10). */
export function formatMb(bytes: number): string {
  return `${formatCount(bytes / MB)} MB`;
}

export function formatPercent(value: number): string {
  return `${Math.round(value)} %`;
}

export function formatSeconds(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
}

/** value / reference, or null when there is no reference to divide by. */
export function ratio(value: number, reference: number | undefined): number | null {
  return reference === undefined || reference <= 0 || !Number.isFinite(reference) ? null : value / reference;
}

export function formatRatio(value: number | null): string {
  if (value === null) return '–';
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}x`;
}

export function bytesToMb(bytes: number): number {
  return bytes / MB;
}

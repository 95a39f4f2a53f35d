export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `orgsync doctor`: what was checked, how it went, and what to do about it. */
export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

export const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail });
export const warn = (check: string, detail: string): CheckResult => ({ check, status: 'warn', detail });
export const fail = (check: string, detail: string): CheckResult => ({ check, status: 'fail', detail });

/** A check that could not run because an earlier one failed: a warning, so the real failure stays the one to fix. */
export const notChecked = (check: string, because: string): CheckResult => warn(check, `not checked: ${because}`);

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

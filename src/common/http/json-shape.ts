/**
 * The deepest JSON any route of this API takes is a few levels (a JWK Set in a
 * client is the deepest); a body nested far deeper is hostile, and recursive
 * code downstream (class-transformer, validation) would exhaust the stack on it.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a parsed JSON body is refused, or undefined if it is fine: nesting beyond
 * MAX_JSON_DEPTH. Iterative, so hostile depth costs no stack. (NUL characters
 * in fields are left to each field's validation, which names the field.)
 */
export function jsonShapeProblem(value: unknown): string | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`;
    const entries = Array.isArray(current) ? current : Object.entries(current as Record<string, unknown>).flat();
    for (const entry of entries) pending.push({ value: entry, depth: depth + 1 });
  }
  return undefined;
}

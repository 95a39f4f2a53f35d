import { jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('jsonShapeProblem', () => {
  it('accepts ordinary bodies, including a JWK Set', () => {
    expect(jsonShapeProblem({ name: 'Acme', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] } })).toBeUndefined();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
  });

  it('refuses nesting beyond the limit, without recursion even at hostile depth', () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1))).toContain(`more than ${MAX_JSON_DEPTH} levels`);
    expect(jsonShapeProblem(nested(200_000))).toContain('nested');
  });
});

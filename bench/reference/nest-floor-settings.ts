/** What the NestJS floor reference serves, shared by the server, the harness that checks it and its test. */
export const NEST_FLOOR_SCOPE = 'members:read';
export const NEST_FLOOR_AUDIENCE = 'https://api.bench.example';
export const NEST_FLOOR_TOKEN_SECONDS = 600;

/** The one member it reads, in the shape of orgsync's member response (src/resources/members/dto/member.response.ts). */
export const NEST_FLOOR_MEMBER = {
  id: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e',
  external_id: 'hr-00042',
  user_name: 'ada',
  email: 'ada@example.com',
  display_name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  title: 'Analyst',
  department: 'Engines',
  active: true,
  source: 'api',
  created_at: '2026-01-05T09:30:00.000Z',
  updated_at: '2026-03-17T14:05:00.000Z',
  deleted_at: null,
} as const;

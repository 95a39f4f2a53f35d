import { createHash } from 'node:crypto';

// prettier-ignore
const GIVEN_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Ben', 'Chen', 'Chloé', 'Dara', 'Diego', 'Elena', 'Emeka', 'Fatima', 'Grace', 'Hana',
  'Ines', 'Ivan', 'José', 'Kai', 'Lena', 'Leila', 'Marta', 'Mateo', 'Mei', 'Nadia', 'Noah', 'Omar', 'Priya', 'Renée',
  'Sam', 'Siân', 'Sofia', 'Tariq', 'Uma', 'Wei', 'Yara', 'Zoë',
];
// prettier-ignore
const FAMILY_NAMES = [
  'Abara', 'Berg', 'Castro', 'Dubois', 'Eriksen', 'Fontaine', 'García', 'Hopper', 'Ito', 'Jansen', 'Kowalski', 'Lovelace',
  'Müller', 'Nakamura', 'Okafor', 'Papadopoulos', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Turing', 'Varga', 'Wang',
  'Xu', 'Yilmaz', 'Zhang',
];
const TITLES = ['Engineer', 'Senior Engineer', 'Analyst', 'Designer', 'Product Manager', 'Accountant', 'Recruiter', 'Director'];
const DEPARTMENTS = ['Engineering', 'Finance', 'People', 'Sales', 'Marketing', 'Support', 'Legal', 'Operations'];
const GROUP_KINDS = ['Team', 'Guild', 'Project', 'Committee'];

/** The generated attributes of the n-th user (ids and timestamps are the directory's business). */
export interface GeneratedUser {
  readonly id: string;
  readonly externalId: string;
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly title: string;
  readonly department: string;
}

export interface GeneratedGroup {
  readonly id: string;
  readonly externalId: string;
  readonly displayName: string;
}

/**
 * Deterministic test data: the n-th user or group of a seed is always the
 * same, whatever was generated before it, because each is derived from
 * SHA-256(seed, kind, n) alone. Ids are UUID-shaped, so their order (the
 * listing order) is unrelated to creation order, as with real providers.
 */
export class DirectoryGenerator {
  constructor(private readonly seed: string) {}

  user(n: number): GeneratedUser {
    const bytes = this.bytes('user', n);
    const givenName = pick(GIVEN_NAMES, bytes, 16);
    const familyName = pick(FAMILY_NAMES, bytes, 18);
    const userName = `${ascii(givenName)}.${ascii(familyName)}.${n}`.toLowerCase();
    return {
      id: uuidFrom(bytes),
      externalId: `emp-${String(n).padStart(6, '0')}`,
      userName,
      givenName,
      familyName,
      displayName: `${givenName} ${familyName}`,
      email: `${userName}@example.com`,
      // About one user in twenty is deactivated: SCIM providers keep them listed with active=false.
      active: (bytes[20] as number) % 20 !== 0,
      title: pick(TITLES, bytes, 21),
      department: pick(DEPARTMENTS, bytes, 22),
    };
  }

  /** The n-th group, and a number to pick its members with (the directory maps it onto its users). */
  group(n: number): { group: GeneratedGroup; memberOffset: number } {
    const bytes = this.bytes('group', n);
    const department = pick(DEPARTMENTS, bytes, 16);
    return {
      group: {
        id: uuidFrom(bytes),
        externalId: `grp-${String(n).padStart(5, '0')}`,
        displayName: `${department} ${pick(GROUP_KINDS, bytes, 18)} ${n}`,
      },
      memberOffset: bytes.readUInt32BE(24),
    };
  }

  private bytes(kind: string, n: number): Buffer {
    return createHash('sha256').update(`${this.seed}:${kind}:${n}`).digest();
  }
}

function pick<T>(list: readonly T[], bytes: Buffer, offset: number): T {
  return list[bytes.readUInt16BE(offset) % list.length] as T;
}

/** RFC 9562 version 4 layout (the version and variant bits set) over the first 16 bytes. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

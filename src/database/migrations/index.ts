import { InitialSchema1763780000000 } from './1763780000000-InitialSchema.js';
import { MembersAndGroups1763790000000 } from './1763790000000-MembersAndGroups.js';
import { SyncConnections1763800000000 } from './1763800000000-SyncConnections.js';
import { SecurityLifecycle1763810000000 } from './1763810000000-SecurityLifecycle.js';
import { RateLimits1763820000000 } from './1763820000000-RateLimits.js';
import { ScaleOut1763830000000 } from './1763830000000-ScaleOut.js';
import { ListFilterIndexes1763840000000 } from './1763840000000-ListFilterIndexes.js';

/** Every migration in order. Landed migrations are never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1763780000000,
  MembersAndGroups1763790000000,
  SyncConnections1763800000000,
  SecurityLifecycle1763810000000,
  RateLimits1763820000000,
  ScaleOut1763830000000,
  ListFilterIndexes1763840000000,
];

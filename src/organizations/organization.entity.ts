import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../database/column-types.js';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Clients of a platform organization may hold the `admin` scope; no other client can. */
  @Column({ name: 'is_platform', type: 'boolean' })
  isPlatform!: boolean;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP_COLUMN })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: TIMESTAMP_COLUMN, nullable: true })
  deletedAt!: Date | null;
}

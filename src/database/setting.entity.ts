import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Facts about this installation that every process must agree on (name → value). */
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;
}

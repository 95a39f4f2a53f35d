import { Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service.js';
import { ResourceCursors } from './resource-cursors.js';

/** What every organization API shares: signed cursors and idempotent creation. */
@Module({
  providers: [ResourceCursors, IdempotencyService],
  exports: [ResourceCursors, IdempotencyService],
})
export class SharedResourcesModule {}

import { Injectable } from '@nestjs/common';

/**
 * Records when each client secret was last used, without a database write per
 * request. PLACEHOLDER: implemented in the secret-rotation work.
 */
@Injectable()
export class SecretUsageRecorder {
  recordUse(_secretId: string): void {}
}

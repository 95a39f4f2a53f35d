import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessTokenVerificationModule } from './access-token-verification.module.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import { ScopesGuard } from './scopes.guard.js';

/**
 * The guards of the resource APIs: bearer authentication then scopes, both
 * global and in that order, so every route is closed unless opened on purpose.
 */
@Module({
  imports: [PassportModule.register({ session: false }), AccessTokenVerificationModule],
  providers: [BearerStrategy, { provide: APP_GUARD, useClass: BearerAuthGuard }, { provide: APP_GUARD, useClass: ScopesGuard }],
})
export class AuthModule {}

import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from './public.decorator.js';
import { RequireScopes } from './require-scopes.decorator.js';
import { routeAccessOf } from './route-access.js';

@RequireScopes('org:read')
class ReadController {
  read(): void {}

  @RequireScopes('members:read')
  members(): void {}

  @Public()
  open(): void {}
}

@RequireScopes('groups:read')
class OtherController extends ReadController {}

function contextOf(controller: abstract new () => unknown, handler: () => void): ExecutionContext {
  return { getHandler: () => handler, getClass: () => controller } as unknown as ExecutionContext;
}

describe('routeAccessOf', () => {
  const reflector = new Reflector();
  const proto = ReadController.prototype;

  it('reads @Public() and @RequireScopes() handler first, then class', () => {
    expect(routeAccessOf(reflector, contextOf(ReadController, proto.read))).toEqual({ isPublic: false, requiredScopes: ['org:read'] });
    expect(routeAccessOf(reflector, contextOf(ReadController, proto.members))).toEqual({
      isPublic: false,
      requiredScopes: ['members:read'],
    });
    expect(routeAccessOf(reflector, contextOf(ReadController, proto.open)).isPublic).toBe(true);
    // The same handler under a subclass with class-level scopes of its own.
    expect(routeAccessOf(reflector, contextOf(OtherController, proto.read)).requiredScopes).toEqual(['groups:read']);
  });

  it('reflects once per route, then answers from what it kept', () => {
    const counting = new Reflector();
    const lookups = jest.spyOn(counting, 'getAllAndOverride');
    class Fresh {
      @RequireScopes('groups:read')
      list(): void {}
    }
    for (let i = 0; i < 3; i++) routeAccessOf(counting, contextOf(Fresh, Fresh.prototype.list));

    expect(lookups).toHaveBeenCalledTimes(2);
  });
});

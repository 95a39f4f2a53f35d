import { PARAMTYPES_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { PipeTransform } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { type ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { REQUEST_VALIDATION_PIPE } from '../../src/common/http/validation.pipe.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** One @Body() or @Query() parameter of a route handler, as Nest recorded it. */
interface DtoArgument {
  /** `AdminOrganizationsController.create body CreateOrganizationDto`, to read in a failure. */
  readonly name: string;
  readonly pipes: readonly unknown[];
}

/** What Nest keeps per decorated argument under ROUTE_ARGS_METADATA, keyed `<paramtype>:<index>`. */
interface RouteArgument {
  readonly index: number;
  readonly data: unknown;
  readonly pipes: readonly unknown[];
}

const VALIDATED = new Map<number, string>([
  [RouteParamtypes.BODY, 'body'],
  [RouteParamtypes.QUERY, 'query'],
]);
const NOT_A_DTO: readonly unknown[] = [undefined, String, Number, Boolean, Object, Array];

/** Every whole-body and whole-query argument typed with a class, in the controllers the application loaded. */
function dtoArgumentsOf(t: TestApp): DtoArgument[] {
  const found: DtoArgument[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>;
        const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? []) as unknown[];
        for (const [key, arg] of Object.entries(args)) {
          const kind = VALIDATED.get(Number(key.split(':')[0]));
          const type = types[arg.index];
          if (!kind || NOT_A_DTO.includes(type) || typeof type !== 'function') continue;
          found.push({ name: `${controller.name}.${method} ${kind} ${type.name}`, pipes: arg.pipes });
        }
      }
    }
  }
  return found;
}

describe('request DTO validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('finds the DTO arguments it checks', () => {
    expect(dtoArgumentsOf(t).map((arg) => arg.name)).toEqual(
      expect.arrayContaining([
        'AdminOrganizationsController.create body CreateOrganizationDto',
        'AdminOrganizationsController.list query PageQueryDto',
        'MembersController.list query ListMembersQueryDto',
      ]),
    );
  });

  it('validates every DTO body and query with the shared pipe (ValidBody/ValidQuery, never a plain @Body() or @Query())', () => {
    const unvalidated = dtoArgumentsOf(t)
      .filter((arg) => !arg.pipes.includes(REQUEST_VALIDATION_PIPE))
      .map((arg) => arg.name);
    expect(unvalidated).toEqual([]);
  });

  it('has no global pipe, which would run on every argument of every route and validate the DTOs a second time', () => {
    // Nest keeps useGlobalPipes() and APP_PIPE providers alike in the application's config, which it does not expose.
    const { config } = t.app as unknown as { config: ApplicationConfig };
    const globalPipes: PipeTransform[] = config.getGlobalPipes();
    expect(globalPipes.map((pipe) => pipe.constructor.name)).toEqual([]);
  });
});

/** The part of oidc-provider 9 the reference server uses (the package ships no types). */
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    listen(port: number, host: string, callback?: () => void): Server;
  }
}

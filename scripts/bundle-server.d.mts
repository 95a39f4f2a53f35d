// Types for the tests that import scripts/bundle-server.mjs.
export declare const EXTERNAL_PACKAGES: string[];
export declare function bundleServer(from: string, to: string): Promise<string[]>;
export declare function nameOnlyWhenDifferent(source: string, file?: string): string;

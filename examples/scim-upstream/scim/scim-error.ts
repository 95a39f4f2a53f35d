import { ERROR_SCHEMA } from './scim-resources.js';

/** RFC 7644 section 3.12 scimType keywords, plus RFC 9865 section 2.1's cursor errors. */
export type ScimType = 'invalidFilter' | 'invalidValue' | 'invalidSyntax' | 'tooMany' | 'invalidCursor' | 'expiredCursor' | 'invalidCount';

/** An error the SCIM endpoints answer with, rendered as an RFC 7644 section 3.12 Error message. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }

  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }

  static notFound(detail: string): ScimError {
    return new ScimError(404, detail);
  }

  toJSON(): Record<string, unknown> {
    // RFC 7644 section 3.12: "status" is the HTTP status code as a JSON string.
    return { schemas: [ERROR_SCHEMA], status: String(this.status), ...(this.scimType && { scimType: this.scimType }), detail: this.detail };
  }
}

import { type KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';

/**
 * What the server sends its JWS signing thread (jws-signing.worker.ts): a
 * private key once, under a number of its own, then batches of signing inputs
 * naming the key by that number, so a key crosses threads once, not per token.
 */
export type SigningRequest =
  | { readonly kind: 'key'; readonly key: number; readonly privateKey: KeyObject }
  | { readonly kind: 'sign'; readonly batch: number; readonly jobs: readonly SigningJob[] };

export interface SigningJob {
  readonly key: number;
  /** BASE64URL(header) "." BASE64URL(claims) (RFC 7515 section 7.1). */
  readonly input: string;
}

/** The thread's answer to one batch, in the batch's order. */
export interface SigningReply {
  readonly batch: number;
  /** Each job's BASE64URL(signature), or null when its key could not sign (a public key, say) or is unknown. */
  readonly signatures: readonly (string | null)[];
}

/**
 * The signature part of a JWS. Both algorithms hash with SHA-256: ES256 is
 * ECDSA P-256 whose signature is the 64-byte R || S concatenation, not DER
 * (RFC 7518 section 3.4, hence dsaEncoding ieee-p1363); RS256 is
 * RSASSA-PKCS1-v1_5 (section 3.3), the default padding of an RSA key.
 */
export function jwsSignature(input: string, privateKey: KeyObject): string {
  return sign(JWS_DIGEST, Buffer.from(input), jwsKey(privateKey)).toString('base64url');
}

/** crypto.sign's digest and key options for both algorithms, shared with the threadpool signer (jws-signer.ts). */
export const JWS_DIGEST = 'sha256';

export function jwsKey(privateKey: KeyObject): SignKeyObjectInput {
  return { key: privateKey, dsaEncoding: 'ieee-p1363' };
}

/** The thread's side of the protocol: keeps the keys it is sent and signs each batch with them. */
export function answerSigningRequest(keys: Map<number, KeyObject>, request: SigningRequest): SigningReply | undefined {
  if (request.kind === 'key') {
    keys.set(request.key, request.privateKey);
    return undefined;
  }
  return { batch: request.batch, signatures: request.jobs.map((job) => signedOrNull(job, keys.get(job.key))) };
}

function signedOrNull(job: SigningJob, privateKey: KeyObject | undefined): string | null {
  if (privateKey === undefined) return null;
  try {
    return jwsSignature(job.input, privateKey);
  } catch {
    // The server rejects that one token's promise; the other jobs of the batch are unaffected.
    return null;
  }
}

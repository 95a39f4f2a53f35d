/**
 * The API names (snake_case) of the fields a change set gives, for an audit
 * event's `details.changed`: which fields changed, never their values, so a
 * secret that was replaced appears only as `client_secret`.
 */
export function changedFields(changes: object): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))
    .sort();
}

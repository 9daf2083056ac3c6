/**
 * The value the plan passes for a setting stored encrypted in the stack file (`secure:`): the plan has
 * no key to decrypt it, so the program sees this marker and treats the secret as present but withheld.
 */
export const WITHHELD_SECRET = "[secret withheld from the plan]";

export function isWithheld(value: string | undefined): boolean {
  return value === WITHHELD_SECRET;
}

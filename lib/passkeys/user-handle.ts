// The WebAuthn user handle of an account is its UUID's 16 bytes: stable, not personal data, and
// it lets a discoverable credential's assertion name the account it was made for, which the
// sign-in ceremony checks against the credential's owner (docs/decisions/0045).

export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ""), "hex"));
}

export function encodedUserHandleOf(userId: string): string {
  return Buffer.from(userHandleOf(userId)).toString("base64url");
}

// The name a contact gets when it is made from History in one click: the display name the call
// carried, else the user part of its SIP address (RFC 3261 §19.1.1), else the host.

/** Never empty, never throws: whatever the address, the contact gets a name to edit later. */
export function contactNameFor(displayName: string | undefined, uri: string): string {
  const shown = displayName?.trim();
  if (shown) return shown;
  const bare = uri
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/^sips?:/i, '');
  const at = bare.lastIndexOf('@');
  const user = at > 0 ? bare.slice(0, at).split(';')[0].split(':')[0] : '';
  const host = (at >= 0 ? bare.slice(at + 1) : bare).split(/[;?]/)[0];
  let name = user || host;
  try {
    name = decodeURIComponent(name); // %20 and friends, RFC 3261 §25.1 escaped user parts
  } catch {
    // A stray % that is no escape: keep the text as it was.
  }
  return name.trim() || uri.trim() || 'Unknown';
}

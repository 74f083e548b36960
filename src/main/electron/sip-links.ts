// sip: and sips: links the OS hands to the app (electron-builder `protocols`, the desktop
// entry's MimeType, app.setAsDefaultProtocolClient). Linux and Windows start a second process
// with the link on its argv (the desktop entry's Exec ends in %U), which hands it to the running
// instance (single-instance.ts). macOS never starts a second process: LaunchServices sends
// `open-url` to the running app, possibly before its window exists.

/** The URL schemes Vouch answers (RFC 3261 §19.1). */
export const SIP_SCHEMES = ['sip', 'sips'] as const;

const SIP_URI = /^sips?:/i;

export function isSipUri(text: string): boolean {
  return SIP_URI.test(text);
}

/** The sip:/sips: URI among the process arguments, if any. */
export function sipUriArgument(argv: readonly string[]): string | undefined {
  return argv.find(isSipUri);
}

/**
 * Links that arrive as `open-url` events. Until the window is up the last one waits (an
 * earlier one was superseded by the user's later click); from then on each is called at once.
 */
export class OpenedLinks {
  private waiting: string | undefined;
  private handler: ((uri: string) => void) | undefined;

  /** An `open-url` event's URL; false (and nothing done) when it is not a sip:/sips: URI. */
  open(url: string): boolean {
    if (!isSipUri(url)) return false;
    if (this.handler) this.handler(url);
    else this.waiting = url;
    return true;
  }

  /** The window is up: `call` gets the waiting link now and every later one. */
  attach(call: (uri: string) => void): void {
    this.handler = call;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) call(waiting);
  }
}

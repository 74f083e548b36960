// The browser shell's own messages on its API socket, beside api.ts: they are about who may
// drive AppCore from a browser window, not about AppCore, so Electron (one window) and the CLI
// never see them. Decoding never throws and is bounded, like wire.ts.

/** Shell -> window: another window asks to be let in; `settled`: that request is gone (answered, timed out or withdrawn). */
export type ShellServerMessage = { kind: 'shell'; type: 'admission-request'; requestId: number } | { kind: 'shell'; type: 'admission-settled'; requestId: number };

/** Window -> shell: the user's answer to an admission request. */
export type ShellClientMessage = { kind: 'shell'; type: 'admission-answer'; requestId: number; allow: boolean };

const MAX_SHELL_MESSAGE = 256;

function parse(text: string): Record<string, unknown> | undefined {
  if (text.length > MAX_SHELL_MESSAGE) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'shell' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isRequestId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function encodeShellMessage(m: ShellServerMessage | ShellClientMessage): string {
  return JSON.stringify(m);
}

export function decodeShellServerMessage(text: string): ShellServerMessage | undefined {
  const m = parse(text);
  if (!m || !isRequestId(m.requestId)) return undefined;
  if (m.type === 'admission-request' || m.type === 'admission-settled') return { kind: 'shell', type: m.type, requestId: m.requestId };
  return undefined;
}

export function decodeShellClientMessage(text: string): ShellClientMessage | undefined {
  const m = parse(text);
  if (!m || m.type !== 'admission-answer' || !isRequestId(m.requestId) || typeof m.allow !== 'boolean') return undefined;
  return { kind: 'shell', type: 'admission-answer', requestId: m.requestId, allow: m.allow };
}

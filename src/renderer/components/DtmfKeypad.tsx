// The DTMF keypad (RFC 4733 events 0-9, *, #), each key labelled for screen readers.
export const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

const SPOKEN: Record<string, string> = { '*': 'star', '#': 'pound' };

export interface DtmfKeypadProps {
  disabled: boolean;
  /** Digits sent so far in this call, echoed so the user sees what went out. */
  sent: string;
  onDigit(digit: string): void;
}

export function DtmfKeypad({ disabled, sent, onDigit }: DtmfKeypadProps) {
  return (
    <div className="keypad" role="group" aria-label="Dial pad">
      <output className="keypad-sent" aria-label="Digits sent">
        {sent}
      </output>
      <div className="keypad-grid">
        {DTMF_KEYS.map((k) => (
          <button key={k} type="button" disabled={disabled} aria-label={`Send ${SPOKEN[k] ?? k}`} onClick={() => onDigit(k)}>
            {k}
          </button>
        ))}
      </div>
    </div>
  );
}

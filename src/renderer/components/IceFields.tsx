// Calls through home routers (ICE): on or off, the STUN servers that tell us our router's public
// address, and TURN servers (server, user name, password) to relay through when no direct path
// exists. A stored TURN password is never shown: an empty field keeps it.
import type { IceDraft, IceErrors, TurnDraft } from '../state/ice-draft';
import { MAX_ICE_SERVERS } from '../state/ice-draft';
import { describedBy, FieldNotes } from './FieldNotes';

export interface IceFieldsProps {
  draft: IceDraft;
  errors: IceErrors;
  onChange(draft: IceDraft): void;
}

interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  error: string | undefined;
  hint?: string;
  placeholder?: string;
  password?: boolean;
  onChange(value: string): void;
}

function TextField({ id, name, label, value, error, hint, placeholder, password, onChange }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={password ? 'password' : 'text'}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete={password ? 'new-password' : 'off'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} field={name} hint={hint} error={error} />
    </div>
  );
}

function TurnRow({ index, turn, errors, onChange, onRemove }: { index: number; turn: TurnDraft; errors: IceErrors; onChange(t: TurnDraft): void; onRemove(): void }) {
  const e = errors.turnServers?.[index] ?? {};
  const id = `ice-turn-${index}`;
  const keeps = turn.stored?.hasPassword && turn.stored.server === turn.server.trim() && turn.stored.username === turn.username.trim();
  return (
    <fieldset className="turn-server">
      <legend>TURN server {index + 1}</legend>
      <TextField id={`${id}-server`} name={`turnServers.${index}.server`} label="Server" value={turn.server} error={e.server} placeholder="turn.example.org:3478" onChange={(server) => onChange({ ...turn, server })} />
      <TextField id={`${id}-username`} name={`turnServers.${index}.username`} label="User name" value={turn.username} error={e.username} onChange={(username) => onChange({ ...turn, username })} />
      <TextField
        id={`${id}-password`}
        name={`turnServers.${index}.password`}
        label="Password"
        value={turn.password}
        error={e.password}
        password
        placeholder={keeps ? 'saved (leave empty to keep it)' : undefined}
        onChange={(password) => onChange({ ...turn, password })}
      />
      <button type="button" onClick={onRemove}>
        Remove TURN server {index + 1}
      </button>
    </fieldset>
  );
}

export function IceFields({ draft, errors, onChange }: IceFieldsProps) {
  const setTurn = (i: number, t: TurnDraft) => onChange({ ...draft, turnServers: draft.turnServers.map((x, j) => (j === i ? t : x)) });
  const full = draft.turnServers.length >= MAX_ICE_SERVERS;
  return (
    <fieldset className="ice">
      <legend>Calls through routers</legend>
      <div className="field">
        <label>
          <input type="checkbox" name="iceEnabled" checked={draft.enabled} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} /> Find a path through home routers (ICE)
        </label>
        <p className="hint">On by default. Off: media goes only to the address the other phone gives, which fails when both are behind routers.</p>
      </div>
      {draft.enabled ? (
        <>
          <TextField
            id="ice-stunServers"
            name="stunServers"
            label="STUN servers"
            value={draft.stunServers}
            error={errors.stunServers}
            placeholder="none"
            hint={`They tell Vouch your router's public address. Up to ${MAX_ICE_SERVERS}, separated by commas, like stun.example.org or stun.example.org:3478.`}
            onChange={(stunServers) => onChange({ ...draft, stunServers })}
          />
          <p className="hint">A TURN server relays the call when no direct path exists (both sides behind strict routers). Your provider gives you its address, a user name and a password.</p>
          {draft.turnServers.map((t, i) => (
            <TurnRow key={i} index={i} turn={t} errors={errors} onChange={(x) => setTurn(i, x)} onRemove={() => onChange({ ...draft, turnServers: draft.turnServers.filter((_, j) => j !== i) })} />
          ))}
          <button type="button" disabled={full} onClick={() => onChange({ ...draft, turnServers: [...draft.turnServers, { server: '', username: '', password: '' }] })}>
            Add a TURN server
          </button>
        </>
      ) : null}
    </fieldset>
  );
}

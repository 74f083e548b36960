// Settings: account, devices (with hot-plug, mic/speaker tests and a camera preview), codecs, the ZRTP options
// (key agreement preference, SAS type, SDES fallback, cache reset), the call timeout, calls
// through routers (STUN and TURN servers, IceFields.tsx) and the advanced network settings folded
// away (NetworkFields.tsx).
import type { FormEvent, ReactNode, Ref } from "react";
import type { AudioCodec, DeviceSettings, SasType } from "../../shared/api";
import type { SettingsDraft } from "../state/settings-draft";
import type { AccountDraft, AccountErrors } from "../state/validate-account";
import { AccountFields } from "./AccountFields";
import {
  CameraPreviewBox,
  CameraPreviewToggle,
  type CameraPreviewView,
} from "./CameraPreview";
import type { NetworkDraft, NetworkErrors } from "../state/validate-network";
import type { IceErrors } from "../state/ice-draft";
import { IceFields } from "./IceFields";
import { LevelMeter } from "./LevelMeter";
import { AdvancedNetwork, CallTimeoutField } from "./NetworkFields";
import {
  AUDIO_CODEC_NAMES,
  AUDIO_CODECS,
  KEY_AGREEMENT_CHOICES,
  KEY_AGREEMENT_NAMES,
  type KeyAgreementChoice,
} from "./names";
import { OrderedChoice } from "./OrderedChoice";

export interface DeviceOption {
  id: string;
  label: string;
}

export interface DeviceLists {
  audioinput: DeviceOption[];
  audiooutput: DeviceOption[];
  videoinput: DeviceOption[];
}

export type { CameraPreviewView };

export interface SettingsProps {
  draft: SettingsDraft;
  accountErrors: AccountErrors;
  /** Errors of the call timeout and the advanced network fields, shown beside them. */
  networkErrors: NetworkErrors;
  /** Errors of the STUN and TURN fields, shown beside them. */
  iceErrors: IceErrors;
  /** The "Advanced network" section is unfolded (folded by default). */
  advancedOpen: boolean;
  hasStoredPassword: boolean;
  /** Where the SIP password is kept: the system keychain (desktop app) or the 0600 settings file. */
  passwordLocation: "keychain" | "file";
  devices: DeviceLists;
  /** Microphone level while the microphone test runs, else null. */
  micTestLevel: number | null;
  speakerTestPlaying: boolean;
  cameraPreview: CameraPreviewView;
  /** The preview's <video>: the connected component gives it the camera's stream. */
  cameraPreviewRef?: Ref<HTMLVideoElement>;
  /** A call is up: the camera is the call's, so there is no preview. */
  inCall: boolean;
  confirmingCacheReset: boolean;
  saving: boolean;
  /** "Settings saved." or a failure in words; announced politely. */
  status: string;
  onChange(patch: Partial<SettingsDraft>): void;
  onAccountChange(patch: Partial<AccountDraft>): void;
  onNetworkChange(patch: Partial<NetworkDraft>): void;
  onToggleAdvanced(open: boolean): void;
  onSave(): void;
  onClose(): void;
  onToggleMicTest(): void;
  onToggleSpeakerTest(): void;
  onToggleCameraPreview(): void;
  onResetCache(): void;
  onCancelCacheReset(): void;
}

const DEVICE_ROWS: {
  key: keyof DeviceSettings;
  kind: keyof DeviceLists;
  label: string;
}[] = [
  { key: "microphoneId", kind: "audioinput", label: "Microphone" },
  { key: "speakerId", kind: "audiooutput", label: "Speaker" },
  { key: "cameraId", kind: "videoinput", label: "Camera" },
];

function DeviceSelect({
  id,
  label,
  value,
  options,
  onChange,
  action,
}: {
  id: string;
  label: string;
  value: string;
  options: DeviceOption[];
  onChange(v: string): void;
  /** A button beside the select (the camera's preview toggle). */
  action?: ReactNode;
}) {
  const known = options.some((o) => o.id === value);
  const select = (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="default">System default</option>
      {options
        .filter((o) => o.id !== "default")
        .map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      {!known && value !== "default" ? (
        <option value={value}>Unplugged device</option>
      ) : null}
    </select>
  );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {action ? (
        <div className="select-with-action">
          {select}
          {action}
        </div>
      ) : (
        select
      )}
    </div>
  );
}

export function Settings(p: SettingsProps) {
  const d = p.draft;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    p.onSave();
  };
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form noValidate onSubmit={submit} aria-label="Settings">
        <section className="settings-group" aria-labelledby="settings-account">
          <h3 id="settings-account">Account</h3>
          <AccountFields
            draft={d.account}
            errors={p.accountErrors}
            hasStoredPassword={p.hasStoredPassword}
            passwordLocation={p.passwordLocation}
            onChange={p.onAccountChange}
          />
          <div className="field checkbox">
            <input
              id="call-waiting"
              type="checkbox"
              checked={d.callWaiting}
              onChange={(e) => p.onChange({ callWaiting: e.target.checked })}
              aria-describedby="call-waiting-hint"
            />
            <label htmlFor="call-waiting">Call waiting</label>
            <p className="hint" id="call-waiting-hint">
              A second call rings while you are in a call; answering it puts the
              first on hold. Off: the second caller hears busy.
            </p>
          </div>
          <div className="field checkbox">
            <input
              id="do-not-disturb"
              type="checkbox"
              checked={d.doNotDisturb}
              onChange={(e) => p.onChange({ doNotDisturb: e.target.checked })}
              aria-describedby="do-not-disturb-hint"
            />
            <label htmlFor="do-not-disturb">Do not disturb</label>
            <p className="hint" id="do-not-disturb-hint">
              Calls do not ring: callers hear busy, and the calls are listed as
              missed in History.
            </p>
          </div>
        </section>

        <section className="settings-group" aria-labelledby="settings-media">
          <h3 id="settings-media">Audio &amp; video</h3>
          <fieldset>
            <legend>Devices</legend>
            {DEVICE_ROWS.map((row) => (
              <DeviceSelect
                key={row.key}
                id={`device-${row.key}`}
                label={row.label}
                value={d.devices[row.key]}
                options={p.devices[row.kind]}
                onChange={(v) =>
                  p.onChange({ devices: { ...d.devices, [row.key]: v } })
                }
                action={
                  row.key === "cameraId" ? (
                    <CameraPreviewToggle
                      view={p.cameraPreview}
                      inCall={p.inCall}
                      onToggle={p.onToggleCameraPreview}
                    />
                  ) : undefined
                }
              />
            ))}
            <CameraPreviewBox
              view={p.cameraPreview}
              videoRef={p.cameraPreviewRef}
              inCall={p.inCall}
            />
            <div className="device-tests">
              <button
                type="button"
                onClick={p.onToggleMicTest}
                aria-pressed={p.micTestLevel !== null}
              >
                {p.micTestLevel !== null
                  ? "Stop microphone test"
                  : "Test microphone"}
              </button>
              {p.micTestLevel !== null ? (
                <LevelMeter
                  label="Microphone test level"
                  level={p.micTestLevel}
                />
              ) : null}
              <button
                type="button"
                onClick={p.onToggleSpeakerTest}
                aria-pressed={p.speakerTestPlaying}
              >
                {p.speakerTestPlaying ? "Stop speaker test" : "Test speaker"}
              </button>
            </div>
          </fieldset>

          <OrderedChoice<AudioCodec>
            legend="Audio codecs (most preferred first)"
            idPrefix="codec"
            chosen={d.audioCodecs}
            all={AUDIO_CODECS}
            names={AUDIO_CODEC_NAMES}
            onChange={(audioCodecs) => p.onChange({ audioCodecs })}
          />
          <p className="hint">Video uses VP8.</p>
        </section>

        <section className="settings-group" aria-labelledby="settings-privacy">
          <h3 id="settings-privacy">Privacy &amp; security</h3>
          <fieldset>
            <legend>Encryption (ZRTP)</legend>
            <p className="hint">
              Every call is end-to-end encrypted with ZRTP; compare the security
              code once per contact to know nobody is in between.
            </p>
            <details className="advanced-zrtp">
              <summary>Advanced: key agreement and security code type</summary>
              <OrderedChoice<KeyAgreementChoice>
                legend="Key agreement preference"
                idPrefix="ka"
                chosen={d.keyAgreement.filter((k): k is KeyAgreementChoice =>
                  (KEY_AGREEMENT_CHOICES as readonly string[]).includes(k),
                )}
                all={KEY_AGREEMENT_CHOICES}
                names={KEY_AGREEMENT_NAMES}
                onChange={(keyAgreement) => p.onChange({ keyAgreement })}
              />
              <fieldset className="radio-group">
                <legend>Security code (SAS) type</legend>
                {(
                  [
                    ["B32", "4 characters (B32)"],
                    ["B256", "Two words (B256)"],
                  ] as [SasType, string][]
                ).map(([value, label]) => (
                  <div key={value} className="field checkbox">
                    <input
                      id={`sas-${value}`}
                      type="radio"
                      name="sasType"
                      value={value}
                      checked={d.sasType === value}
                      onChange={() => p.onChange({ sasType: value })}
                    />
                    <label htmlFor={`sas-${value}`}>{label}</label>
                  </div>
                ))}
              </fieldset>
            </details>
            <div className="field checkbox">
              <input
                id="allow-sdes"
                type="checkbox"
                checked={d.mediaSecurity !== "zrtp-required"}
                onChange={(e) =>
                  p.onChange({
                    mediaSecurity: e.target.checked
                      ? "allow-sdes"
                      : "zrtp-required",
                  })
                }
                aria-describedby="allow-sdes-hint"
              />
              <label htmlFor="allow-sdes">
                Allow SDES with peers that have no ZRTP
              </label>
              <p className="hint" id="allow-sdes-hint">
                Such calls are encrypted, not end-to-end: the keys pass through
                the SIP servers.
              </p>
            </div>
            <div className="cache-reset">
              {p.confirmingCacheReset ? (
                <>
                  <p role="alert">
                    Forget every peer&apos;s security identity? You will have to
                    compare codes again with everyone.
                  </p>
                  <button
                    type="button"
                    className="danger"
                    onClick={p.onResetCache}
                  >
                    Yes, forget all identities
                  </button>
                  <button type="button" onClick={p.onCancelCacheReset}>
                    Keep them
                  </button>
                </>
              ) : (
                <button type="button" onClick={p.onResetCache}>
                  Reset ZRTP cache…
                </button>
              )}
            </div>
          </fieldset>
        </section>

        <section className="settings-group" aria-labelledby="settings-routers">
          <h3 id="settings-routers">Calls through routers</h3>
          <CallTimeoutField
            draft={d.network}
            errors={p.networkErrors}
            onChange={p.onNetworkChange}
          />
          <IceFields
            draft={d.ice}
            errors={p.iceErrors}
            onChange={(ice) => p.onChange({ ice })}
          />
          <AdvancedNetwork
            draft={d.network}
            errors={p.networkErrors}
            onChange={p.onNetworkChange}
            open={p.advancedOpen}
            onToggle={p.onToggleAdvanced}
          />
        </section>

        <div
          role="status"
          aria-live="polite"
          className="form-summary"
          data-testid="settings-status"
        >
          {p.status}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={p.saving}>
            {p.saving ? "Saving…" : "Save settings"}
          </button>
          <button type="button" onClick={p.onClose}>
            Close settings
          </button>
        </div>
      </form>
    </section>
  );
}

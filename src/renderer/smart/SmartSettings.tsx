// Settings connected to AppCore: a draft of the current settings, saved with updateSettings;
// devices from the renderer's own enumeration (hot-plug aware); the microphone and speaker tests;
// the camera preview (follows the Camera select; closed when toggled off, when the page goes, and
// when a call comes or starts, as the camera is then the call's); the ZRTP cache reset after a
// confirmation.
import { useEffect, useRef, useState } from 'react';
import { VouchApiError } from '../../shared/api';
import ringtoneUrl from '../../../assets/ringtone.wav';
import { runCommand, vouchApi } from '../api/session';
import { Settings, type CameraPreviewView } from '../components/Settings';
import { startCameraPreview, startMicrophoneTest, startSpeakerTest, type CameraPreview, type MicrophoneTest, type SpeakerTest } from '../media/device-tests';
import { useMediaDevices } from '../media/devices';
import { settingsDraftOf, settingsPatch, type SettingsDraft } from '../state/settings-draft';
import { useSettings, useVouchStore } from '../state/store';
import { accountFieldOf, hasErrors, validateAccount, type AccountErrors } from '../state/validate-account';
import { advancedHasErrors, networkFieldOf, validateNetwork, type NetworkErrors } from '../state/validate-network';
import { describeFailure } from '../state/words';
import { iceErrorsOf, iceHasErrors, validateIce, type IceErrors } from '../state/ice-draft';

export function SmartSettings({ onClose }: { onClose(): void }) {
  const settings = useSettings();
  const showError = useVouchStore((s) => s.showError);
  const devices = useMediaDevices();
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<AccountErrors>({});
  const [serverNetworkErrors, setServerNetworkErrors] = useState<NetworkErrors>({});
  const [serverIceErrors, setServerIceErrors] = useState<IceErrors>({});
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [micLevel, setMicLevel] = useState<number | null>(null);
  const [speakerPlaying, setSpeakerPlaying] = useState(false);
  const micTest = useRef<MicrophoneTest | null>(null);
  const speakerTest = useRef<SpeakerTest | null>(null);
  const inCall = useVouchStore((s) => Object.keys(s.calls.calls).length > 0);
  const cameraId = draft?.devices.cameraId ?? settings?.devices.cameraId;
  const [previewWanted, setPreviewWanted] = useState(false);
  const [preview, setPreview] = useState<CameraPreviewView>({ state: 'off' });
  const previewVideo = useRef<HTMLVideoElement>(null);
  const previewStream = useRef<MediaStream | null>(null);
  const previewOpen = previewWanted && !inCall && cameraId !== undefined;

  // A call takes the camera: the preview closes and stays closed after the call.
  useEffect(() => {
    if (inCall) setPreviewWanted(false);
  }, [inCall]);

  // Opens the chosen camera while the preview is wanted; a new choice closes the old camera first
  // (some cameras cannot be open twice), and the cleanup stops the tracks however the preview ends.
  useEffect(() => {
    if (!previewOpen || cameraId === undefined) {
      setPreview({ state: 'off' });
      return;
    }
    let closed = false;
    let opened: CameraPreview | null = null;
    setPreview({ state: 'opening' });
    startCameraPreview(cameraId).then(
      (p) => {
        if (closed) return p.stop();
        opened = p;
        previewStream.current = p.stream;
        setPreview({ state: 'on', caption: p.caption });
      },
      (e: unknown) => {
        if (!closed) setPreview({ state: 'failed', message: describeFailure('open the camera', e) });
      },
    );
    return () => {
      closed = true;
      opened?.stop();
      previewStream.current = null;
    };
  }, [previewOpen, cameraId]);

  // The <video> is there from "opening" on; it gets the camera once the camera is open.
  useEffect(() => {
    const video = previewVideo.current;
    if (video && video.srcObject !== previewStream.current) video.srcObject = previewStream.current;
  }, [preview]);

  useEffect(
    () => () => {
      micTest.current?.stop();
      speakerTest.current?.stop();
    },
    [],
  );

  if (!settings) return null;
  const current = draft ?? settingsDraftOf(settings);
  const hasStoredPassword = settings.account.hasPassword;
  const accountErrors = attempted ? { ...validateAccount(current.account, { hasStoredPassword }), ...serverErrors } : {};
  const networkErrors = attempted ? { ...validateNetwork(current.network), ...serverNetworkErrors } : {};
  const iceErrors = attempted ? { ...validateIce(current.ice), ...serverIceErrors } : {};
  const edit = (patch: Partial<SettingsDraft>) => {
    setDraft({ ...current, ...patch });
    if (patch.ice) setServerIceErrors({});
    setStatus('');
  };

  const save = async () => {
    setAttempted(true);
    setServerErrors({});
    setServerNetworkErrors({});
    setServerIceErrors({});
    const network = validateNetwork(current.network);
    // A wrong value in the folded section is unfolded, so it is seen beside its field.
    if (advancedHasErrors(network)) setAdvancedOpen(true);
    if (hasErrors(validateAccount(current.account, { hasStoredPassword }))) {
      setStatus('Please correct the account fields marked above.');
      return;
    }
    if (Object.keys(network).length > 0 || iceHasErrors(validateIce(current.ice))) {
      setStatus('Please correct the fields marked above.');
      return;
    }
    setSaving(true);
    try {
      const saved = await vouchApi().invoke('updateSettings', { patch: settingsPatch(current, settings) });
      setDraft(settingsDraftOf(saved));
      setAttempted(false);
      setStatus('Settings saved.');
    } catch (e) {
      const field = e instanceof VouchApiError ? accountFieldOf(e.field) : null;
      if (field) setServerErrors({ [field]: (e as Error).message });
      const ice = e instanceof VouchApiError ? iceErrorsOf(e.field, e.message) : null;
      if (ice) setServerIceErrors(ice);
      const networkField = e instanceof VouchApiError ? networkFieldOf(e.field) : null;
      if (networkField) {
        setServerNetworkErrors({ [networkField]: (e as Error).message });
        if (networkField !== 'mediaTimeoutSeconds') setAdvancedOpen(true);
      }
      setStatus(describeFailure('save the settings', e));
    } finally {
      setSaving(false);
    }
  };

  const toggleMicTest = async () => {
    if (micTest.current) {
      micTest.current.stop();
      micTest.current = null;
      setMicLevel(null);
      return;
    }
    try {
      setMicLevel(0);
      micTest.current = await startMicrophoneTest(current.devices.microphoneId, setMicLevel);
    } catch (e) {
      setMicLevel(null);
      showError('media', describeFailure('test the microphone', e));
    }
  };

  const toggleSpeakerTest = async () => {
    if (speakerTest.current) {
      speakerTest.current.stop();
      speakerTest.current = null;
      setSpeakerPlaying(false);
      return;
    }
    try {
      setSpeakerPlaying(true);
      speakerTest.current = await startSpeakerTest(current.devices.speakerId, ringtoneUrl, () => {
        speakerTest.current = null;
        setSpeakerPlaying(false);
      });
    } catch (e) {
      setSpeakerPlaying(false);
      showError('media', describeFailure('test the speaker', e));
    }
  };

  const resetCache = async () => {
    if (!confirmingReset) {
      setConfirmingReset(true);
      return;
    }
    setConfirmingReset(false);
    const done = await runCommand('settings', 'reset the ZRTP cache', 'resetZrtpCache', {});
    if (done !== undefined) setStatus('All security identities were forgotten: compare the code again on your next call with each person.');
  };

  return (
    <Settings
      draft={current}
      accountErrors={accountErrors}
      hasStoredPassword={hasStoredPassword}
      passwordLocation={settings.account.passwordLocation}
      devices={devices}
      micTestLevel={micLevel}
      speakerTestPlaying={speakerPlaying}
      cameraPreview={preview}
      cameraPreviewRef={previewVideo}
      inCall={inCall}
      confirmingCacheReset={confirmingReset}
      saving={saving}
      status={status}
      onChange={edit}
      onAccountChange={(patch) => {
        edit({ account: { ...current.account, ...patch } });
        setServerErrors({});
      }}
      networkErrors={networkErrors}
      iceErrors={iceErrors}
      advancedOpen={advancedOpen}
      onNetworkChange={(patch) => {
        edit({ network: { ...current.network, ...patch } });
        setServerNetworkErrors({});
      }}
      onToggleAdvanced={setAdvancedOpen}
      onSave={() => void save()}
      onClose={onClose}
      onToggleMicTest={() => void toggleMicTest()}
      onToggleSpeakerTest={() => void toggleSpeakerTest()}
      onToggleCameraPreview={() => setPreviewWanted(!previewWanted)}
      onResetCache={() => void resetCache()}
      onCancelCacheReset={() => setConfirmingReset(false)}
    />
  );
}

// The active call connected to AppCore and the media manager: controls send commands, the SAS
// answer goes to setSasVerified (on a mismatch AppCore ends the call; the page says why), "Add video" opens
// the camera then re-INVITEs, and the remote canvas is handed to the video decoder. The stage's
// own state lives here: the control bar hiding at rest, the self view's corner, the M/V/H keys.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInfo, DeviceSettings, MediaDevice } from '../../shared/api';
import { useMediaDevices } from '../media/devices';
import { runCommand } from '../api/session';
import { InCall } from '../components/InCall';
import { SasPanel } from '../components/SasPanel';
import { SecurityDetails } from '../components/SecurityDetails';
import { StatsPanel } from '../components/StatsPanel';
import { TransferControls } from '../components/TransferControls';
import { VideoTiles } from '../components/VideoTiles';
import { CallDevices } from '../components/CallDevices';
import { controlsVisible, cornerNear, nextCorner, shortcutFor, type PipCorner } from '../state/call-stage';
import { usePreferences } from '../state/preferences';
import { speakableHalf } from '../state/sas-guide';
import { shownVideo } from '../state/video-state';
import { mediaManager } from '../media/media-manager';
import { NO_LEVELS, useMediaStore } from '../state/media-store';
import { useCallSecurity, useCallStats, useSettings, useVerifiedPeers, useVouchStore } from '../state/store';
import { describeCallState, describeFailure } from '../state/words';
import { canSpeak, speak } from './speak';
import { useNow } from './use-now';
import { useMismatch } from '../state/mismatch';

export function SmartInCall({ call }: { call: CallInfo }) {
  const { callId } = call;
  const security = useCallSecurity(callId);
  const stats = useCallStats(callId);
  const verifiedPeers = useVerifiedPeers();
  const receivedDtmf = useVouchStore((s) => s.receivedDtmf[callId] ?? '');
  const showError = useVouchStore((s) => s.showError);
  const levels = useMediaStore((s) => s.levels[callId] ?? NO_LEVELS);
  const localStream = useMediaStore((s) => s.localStreams[callId] ?? null);
  const [busy, setBusy] = useState(false);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const [dtmfSent, setDtmfSent] = useState('');
  const [transferTo, setTransferTo] = useState('');
  const allCalls = useVouchStore((s) => s.calls.calls);
  const otherCalls = Object.values(allCalls).filter((c) => c.callId !== callId && c.state !== 'incoming' && c.state !== 'ended');
  const now = useNow(call.connectedAt !== undefined);
  const who = call.remoteName || call.remoteUri;
  const video = shownVideo(call, security, stats ?? []);
  const settings = useSettings();
  const shortcutsOn = usePreferences((s) => s.callShortcuts);
  const setShortcuts = usePreferences((s) => s.setCallShortcuts);
  const [pipCorner, setPipCorner] = useState<PipCorner>('bottom-right');
  const [devicesOpen, setDevicesOpen] = useState(false);
  // The renderer's own devices: those are the ones its media can open (getUserMedia, setSinkId).
  const deviceLists = useMediaDevices();
  const devices: MediaDevice[] = (['audioinput', 'audiooutput', 'videoinput'] as const).flatMap((kind) => deviceLists[kind].map((d) => ({ kind, ...d })));
  const devicesInUse = useMediaStore((s) => s.devicesInUse[callId]);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [lastActivity, setLastActivity] = useState(() => Date.now());
  const [focusInside, setFocusInside] = useState(false);
  const idleNow = useNow(video.remote !== 'off');
  // Pointer movement fires often; a quarter second is fine enough for "the pointer moved".
  const activity = () => {
    const t = Date.now();
    if (t - lastActivity > 250) setLastActivity(t);
  };
  const controlsHidden = !controlsVisible({ now: Math.max(idleNow, lastActivity), lastActivity, focusInside, videoShown: video.remote !== 'off' });
  const verified = security ? security.verified && !security.warnings.some((w) => w.kind === 'new-identity' || w.kind === 'cache-mismatch') : verifiedPeers.includes(call.remoteUri);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  const remoteCanvasRef = useCallback((canvas: HTMLCanvasElement | null) => mediaManager()?.attachRemoteCanvas(callId, canvas), [callId]);
  const localPreviewRef = useCallback(
    (video: HTMLVideoElement | null) => {
      if (video && video.srcObject !== localStream) video.srcObject = localStream;
    },
    [localStream],
  );

  const addVideo = () =>
    run(async () => {
      try {
        await mediaManager()?.startVideo(callId);
      } catch (e) {
        showError('media', describeFailure('add video', e));
        return;
      }
      const ok = await runCommand('call', 'add video', 'addVideo', { callId });
      if (ok === undefined) mediaManager()?.stopVideo(callId);
    });
  const stopVideo = () =>
    run(async () => {
      await runCommand('call', 'stop video', 'removeVideo', { callId });
      mediaManager()?.stopVideo(callId);
    });

  // The M/V/H keys, through a ref so the listener is added once but sees this render's handlers.
  const keyActions = useRef<Record<'mute' | 'video' | 'hangup', () => void>>({ mute: () => {}, video: () => {}, hangup: () => {} });
  useEffect(() => {
    if (!shortcutsOn) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target instanceof HTMLElement ? e.target : null;
      const action = shortcutFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, targetTag: t?.tagName ?? '', targetEditable: t?.isContentEditable ?? false });
      if (!action || e.repeat) return;
      e.preventDefault();
      keyActions.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcutsOn]);
  useEffect(() => {
    const stage = document.querySelector('.call-stage');
    if (!stage) return;
    const within = () => setFocusInside(stage.contains(document.activeElement) && document.activeElement !== document.body);
    const later = () => setTimeout(within, 0);
    stage.addEventListener('focusin', within);
    stage.addEventListener('focusout', later);
    return () => {
      stage.removeEventListener('focusin', within);
      stage.removeEventListener('focusout', later);
    };
  }, []);
  const chooseDevice = (kind: keyof DeviceSettings, id: string) =>
    void runCommand('settings', 'change the device', 'updateSettings', { patch: { devices: { [kind]: id } } });
  const speakHalf = (half: string) => speak(speakableHalf(half, security?.sasType ?? ''));

  const sasAnswer = (matches: boolean) =>
    run(async () => {
      const recorded = await runCommand('security', matches ? 'confirm the security code' : 'record the mismatch', 'setSasVerified', { callId, verified: matches });
      if (!matches) {
        showError('security', `You ended the call with ${who}: the security codes did not match, so someone may be listening in. Call again and compare the new code.`);
        useMismatch.getState().show(callId, who, call.remoteUri);
        // AppCore ends the call itself on a mismatch; if it could not even record it, hang up here.
        if (recorded === undefined) await runCommand('call', 'hang up', 'hangup', { callId });
      }
    });

  const mute = () => void run(() => runCommand('call', call.muted ? 'unmute' : 'mute', 'mute', { callId, on: !call.muted }));
  const hangup = () => void run(() => runCommand('call', 'hang up', 'hangup', { callId }));
  const toggleVideo = () => {
    if (busy) return;
    if (call.video.local !== 'off') void stopVideo();
    else if (call.state === 'connected') void addVideo();
  };
  keyActions.current = { mute: () => call.state === 'connected' || call.state === 'held' ? mute() : undefined, video: toggleVideo, hangup };

  return (
    <InCall
      call={call}
      stateLine={describeCallState(call, security)}
      verified={verified}
      elapsedSeconds={call.connectedAt === undefined ? null : (now - call.connectedAt) / 1000}
      levels={levels}
      keypadOpen={keypadOpen}
      dtmfSent={dtmfSent}
      dtmfReceived={receivedDtmf}
      busy={busy}
      video={video}
      canAddVideo={call.state === 'connected'}
      controlsHidden={controlsHidden}
      shortcutsOn={shortcutsOn}
      devicesOpen={devicesOpen}
      onAddVideo={() => void addVideo()}
      onStopVideo={() => void stopVideo()}
      onToggleDevices={() => setDevicesOpen((o) => !o)}
      onToggleShortcuts={setShortcuts}
      onActivity={activity}
      devices={<CallDevices devices={devices} chosen={settings?.devices ?? { microphoneId: '', speakerId: '', cameraId: '' }} inUse={devicesInUse} onChoose={chooseDevice} />}
      security={
        security ? (
          <SasPanel
            security={security}
            busy={busy}
            direction={call.direction}
            canSpeak={canSpeak()}
            onSpeak={speakHalf}
            onShowDetails={() => setDetailsOpen(true)}
            onMatches={() => void sasAnswer(true)}
            onMismatch={() => void sasAnswer(false)}
          />
        ) : null
      }
      media={
        <VideoTiles
          video={video}
          remoteName={who}
          pipCorner={pipCorner}
          remoteCanvasRef={remoteCanvasRef}
          localPreviewRef={localPreviewRef}
          onPipKey={(key) => setPipCorner((c) => nextCorner(c, key))}
          onPipDrop={(x, y) => setPipCorner(cornerNear(x, y))}
        />
      }
      onMute={mute}
      onHold={() => void run(() => runCommand('call', call.held ? 'resume the call' : 'hold the call', 'hold', { callId, on: !call.held }))}
      onToggleKeypad={() => setKeypadOpen((o) => !o)}
      onDtmf={(digit) => {
        setDtmfSent((s) => (s + digit).slice(-32));
        void runCommand('call', `send ${digit}`, 'sendDtmf', { callId, digits: digit });
      }}
      onHangup={hangup}
    >
      <TransferControls
        who={who}
        address={transferTo}
        otherCalls={otherCalls}
        enabled={call.state === 'connected' || call.state === 'held'}
        busy={busy}
        onAddressChange={setTransferTo}
        onTransfer={() => void run(() => runCommand('call', `transfer ${who}`, 'transfer', { callId, to: transferTo.trim() }))}
        onAttended={(targetCallId) => void run(() => runCommand('call', `connect ${who}`, 'transferAttended', { callId, targetCallId }))}
      />
      {security ? <SecurityDetails security={security} open={detailsOpen} onToggle={setDetailsOpen} /> : null}
      <StatsPanel history={stats ?? []} />
    </InCall>
  );
}

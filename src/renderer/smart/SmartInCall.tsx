// The active call connected to AppCore and the media manager: controls send commands, the SAS
// answer goes to setSasVerified (on a mismatch AppCore ends the call; the page says why), "Add video" opens
// the camera then re-INVITEs, and the remote canvas is handed to the video decoder.
import { useCallback, useState } from 'react';
import type { CallInfo } from '../../shared/api';
import { runCommand } from '../api/session';
import { InCall } from '../components/InCall';
import { SasPanel } from '../components/SasPanel';
import { SecurityDetails } from '../components/SecurityDetails';
import { StatsPanel } from '../components/StatsPanel';
import { TransferControls } from '../components/TransferControls';
import { VideoTiles } from '../components/VideoTiles';
import { mediaManager } from '../media/media-manager';
import { NO_LEVELS, useMediaStore } from '../state/media-store';
import { useCallSecurity, useCallStats, useVerifiedPeers, useVouchStore } from '../state/store';
import { describeCallState, describeFailure } from '../state/words';
import { useNow } from './use-now';

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

  const sasAnswer = (matches: boolean) =>
    run(async () => {
      const recorded = await runCommand('security', matches ? 'confirm the security code' : 'record the mismatch', 'setSasVerified', { callId, verified: matches });
      if (!matches) {
        showError('security', `You ended the call with ${who}: the security codes did not match, so someone may be listening in. Call again and compare the new code.`);
        // AppCore ends the call itself on a mismatch; if it could not even record it, hang up here.
        if (recorded === undefined) await runCommand('call', 'hang up', 'hangup', { callId });
      }
    });

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
      onMute={() => void run(() => runCommand('call', call.muted ? 'unmute' : 'mute', 'mute', { callId, on: !call.muted }))}
      onHold={() => void run(() => runCommand('call', call.held ? 'resume the call' : 'hold the call', 'hold', { callId, on: !call.held }))}
      onToggleKeypad={() => setKeypadOpen((o) => !o)}
      onDtmf={(digit) => {
        setDtmfSent((s) => (s + digit).slice(-32));
        void runCommand('call', `send ${digit}`, 'sendDtmf', { callId, digits: digit });
      }}
      onHangup={() => void run(() => runCommand('call', 'hang up', 'hangup', { callId }))}
    >
      {security ? <SasPanel security={security} busy={busy} onMatches={() => void sasAnswer(true)} onMismatch={() => void sasAnswer(false)} /> : null}
      <VideoTiles
        video={call.video}
        remoteName={who}
        canAddVideo={call.state === 'connected'}
        busy={busy}
        remoteCanvasRef={remoteCanvasRef}
        localPreviewRef={localPreviewRef}
        onAddVideo={() => void addVideo()}
        onStopVideo={() => void stopVideo()}
      />
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
      {security ? <SecurityDetails security={security} /> : null}
      <StatsPanel history={stats ?? []} />
    </InCall>
  );
}

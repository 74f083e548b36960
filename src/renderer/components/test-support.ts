// Shared by this folder's tests: the props of a Settings page with nothing chosen and nothing
// pending, every callback a no-op; a test patches what it looks at.
import type { SettingsProps } from './Settings';
import { noop } from './render';
import { publicSettings } from '../state/fixtures';
import { settingsDraftOf } from '../state/settings-draft';

export function settingsProps(patch: Partial<SettingsProps> = {}): SettingsProps {
  return {
    draft: settingsDraftOf(publicSettings()),
    accountErrors: {},
    networkErrors: {},
    iceErrors: {},
    advancedOpen: false,
    hasStoredPassword: false,
    passwordLocation: 'file',
    devices: { audioinput: [], audiooutput: [], videoinput: [] },
    micTestLevel: null,
    speakerTestPlaying: false,
    cameraPreview: { state: 'off' },
    inCall: false,
    confirmingCacheReset: false,
    saving: false,
    status: '',
    onChange: noop,
    onAccountChange: noop,
    onNetworkChange: noop,
    onToggleAdvanced: noop,
    onSave: noop,
    onClose: noop,
    onToggleMicTest: noop,
    onToggleSpeakerTest: noop,
    onToggleCameraPreview: noop,
    onResetCache: noop,
    onCancelCacheReset: noop,
    ...patch,
  };
}

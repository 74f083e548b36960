// The Settings form's working copy, made from what AppCore sent and turned back into the patch
// `updateSettings` takes. The stored password is never sent back, so an empty password field
// means "keep it".
import type { AudioCodec, DeepPartial, DeviceSettings, KeyAgreement, MediaSecurityPolicy, PublicSettings, SasType, Settings } from '../../shared/api';
import { iceDraftOf, icePatch, type IceDraft } from './ice-draft';
import type { AccountDraft } from './validate-account';
import { networkDraftOf, networkPatch, type NetworkDraft } from './validate-network';

export interface SettingsDraft {
  account: AccountDraft;
  mediaSecurity: MediaSecurityPolicy;
  keyAgreement: KeyAgreement[];
  sasType: SasType;
  audioCodecs: AudioCodec[];
  devices: DeviceSettings;
  /** A second call rings during a call (off: the caller hears busy). */
  callWaiting: boolean;
  /** Incoming calls hear busy without ringing and are kept as missed. */
  doNotDisturb: boolean;
  /** The call timeout and the advanced network settings (validate-network.ts). */
  network: NetworkDraft;
  /** STUN and TURN servers (ice-draft.ts). */
  ice: IceDraft;
}

export function accountDraftOf(s: PublicSettings): AccountDraft {
  const a = s.account;
  return {
    displayName: a.displayName,
    address: a.address,
    username: a.username,
    password: '',
    server: a.server,
    transport: a.transport,
    directIpOnly: a.directIpOnly,
    trustedCaPem: a.trustedCaPem ?? '',
  };
}

export function settingsDraftOf(s: PublicSettings): SettingsDraft {
  return {
    account: accountDraftOf(s),
    mediaSecurity: s.mediaSecurity,
    keyAgreement: s.zrtp.keyAgreement.slice(),
    sasType: s.zrtp.sasType,
    audioCodecs: s.audioCodecs.slice(),
    devices: { ...s.devices },
    callWaiting: s.callWaiting,
    doNotDisturb: s.doNotDisturb,
    network: networkDraftOf(s),
    ice: iceDraftOf(s),
  };
}

export function accountPatch(a: AccountDraft): DeepPartial<Settings>['account'] {
  const account: DeepPartial<Settings>['account'] = {
    displayName: a.displayName.trim(),
    address: a.address.trim(),
    username: a.username.trim(),
    server: a.directIpOnly ? '' : a.server.trim(),
    transport: a.transport,
    directIpOnly: a.directIpOnly,
  };
  if (a.password !== '' && !a.directIpOnly) account.password = a.password;
  // An empty field removes a CA trusted before.
  if (a.trustedCaPem !== undefined) account.trustedCaPem = a.trustedCaPem.trim();
  return account;
}

/**
 * `saved`: the settings the draft was made from; network fields left as they were stay out of
 * the patch (a changed port, address or TLS file restarts SIP in AppCore).
 */
export function settingsPatch(d: SettingsDraft, saved?: PublicSettings): DeepPartial<Settings> {
  const { account: network, ...rest } = networkPatch(d.network, saved && networkDraftOf(saved));
  return {
    ...rest,
    account: { ...accountPatch(d.account), ...network },
    mediaSecurity: d.mediaSecurity,
    zrtp: { keyAgreement: d.keyAgreement.slice(), sasType: d.sasType },
    audioCodecs: d.audioCodecs.slice(),
    devices: { ...d.devices },
    callWaiting: d.callWaiting,
    doNotDisturb: d.doNotDisturb,
    ice: icePatch(d.ice),
  };
}

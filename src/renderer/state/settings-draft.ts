// The Settings form's working copy, made from what AppCore sent and turned back into the patch
// `updateSettings` takes. The stored password is never sent back, so an empty password field
// means "keep it".
import type { AudioCodec, DeepPartial, DeviceSettings, KeyAgreement, MediaSecurityPolicy, PublicSettings, SasType, Settings } from '../../shared/api';
import type { AccountDraft } from './validate-account';

export interface SettingsDraft {
  account: AccountDraft;
  mediaSecurity: MediaSecurityPolicy;
  keyAgreement: KeyAgreement[];
  sasType: SasType;
  audioCodecs: AudioCodec[];
  devices: DeviceSettings;
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

export function settingsPatch(d: SettingsDraft): DeepPartial<Settings> {
  return {
    account: accountPatch(d.account),
    mediaSecurity: d.mediaSecurity,
    zrtp: { keyAgreement: d.keyAgreement.slice(), sasType: d.sasType },
    audioCodecs: d.audioCodecs.slice(),
    devices: { ...d.devices },
  };
}

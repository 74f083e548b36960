// The settings file (src/main/store/settings.ts) loaded from disk: JSON parse, migration, merge
// over the defaults and validation. A bad file must load as the defaults with a warning, never
// throw. Each input is written to a temp folder's settings.json and loaded from there.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzTarget } from '../engine';
import { SETTINGS_FILE, SettingsStore } from '../../../src/main/store/settings';

// tmpfs when there is one: the store fsyncs every write, which on a disk caps the rate at ~20/s.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vouch-fuzz-settings-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

export const target: FuzzTarget = {
  name: 'settings-file',
  sources: ['src/main/store/settings.ts', 'src/main/store/atomic-file.ts', 'src/shared/'],
  dictionary: [
    '{', '}', '[', ']', '"', ':', ',', 'null', 'true', 'false', '0', '-1', '65536', '1e400', '"__proto__"', '"constructor"',
    '"sipPort"', '"sipTlsPort"', '"rtpPortMin"', '"displayName"', '"iceServers"', '"urls"', '"stun:127.0.0.1"', '"turn:127.0.0.1?transport=tcp"',
    '"username"', '"credential"', '"registrar"', '"sip:127.0.0.1"', '"audio"', '"video"', '"srtp"', '"zrtp"',
  ],
  maxLength: 4096,
  run(input) {
    // A fresh folder each time: what load() moves aside (".invalid-…", ".corrupt-…") goes too.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, SETTINGS_FILE), input);
    new SettingsStore(dir).load();
  },
};

// The packaging configuration, checked through electron-builder's own code without packing:
// packing needs the Electron binary, which cannot be downloaded here. Packager.validateConfig
// loads electron-builder.config.ts with electron-builder's loader, validates it against its JSON
// schema and checks package.json (e.g. that "electron" is not a runtime dependency). The desktop
// entry, the icon set, the file filter and the fuse wire are then computed by the same
// functions `electron-builder --linux` calls. Nothing is downloaded.
import { describe, expect, it, beforeAll } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { Configuration } from 'electron-builder';
import { readPngHeader } from '../../scripts/icon-formats';

const projectDir = resolve(import.meta.dirname, '../..');
const require = createRequire(join(projectDir, 'package.json'));

// app-builder-lib's internals (CommonJS, no type declarations for these paths).
/* eslint-disable @typescript-eslint/no-explicit-any */
const { Packager } = require('app-builder-lib/out/packager.js');
const { AppInfo } = require('app-builder-lib/out/appInfo.js');
const { LinuxPackager } = require('app-builder-lib/out/linuxPackager.js');
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper.js');
const { createElectronFrameworkSupport } = require('app-builder-lib/out/electron/ElectronFramework.js');
const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js');

let packager: any;
let linux: any;
let config: Configuration;

beforeAll(async () => {
  packager = new Packager({ projectDir, config: 'electron-builder.config.ts' });
  await packager.validateConfig();
  // What Packager.build does next, short of packing: app metadata and the Electron framework
  // (its version read from node_modules/electron/package.json; no binary needed).
  packager._appInfo = new AppInfo(packager, null);
  packager._framework = await createElectronFrameworkSupport(packager.config, packager);
  linux = new LinuxPackager(packager);
  config = packager.config;
}, 60_000);

function desktopEntry(text: string): Map<string, string> {
  const lines = text.split('\n');
  expect(lines[0]).toBe('[Desktop Entry]');
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith('[')) break;
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return fields;
}

describe('electron-builder configuration', () => {
  it('names the app and declares a target per platform', () => {
    expect(config.appId).toBe('org.vouch.phone');
    expect(config.productName).toBe('Vouch');
    expect(packager.appInfo.id).toBe('org.vouch.phone');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(linux.executableName).toBe('vouch');
  });

  it('flips exactly the six fuses the issue names, by @electron/fuses option', async () => {
    const wire = await linux.generateFuseConfig(config.electronFuses);
    expect(wire.version).toBe(FuseVersion.V1);
    const set = Object.fromEntries(
      Object.entries(wire)
        .filter(([key, value]) => /^\d+$/.test(key) && value !== undefined)
        .map(([key, value]) => [FuseV1Options[Number(key)], value]),
    );
    expect(set).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });

  it('packs the app into an asar holding the built app and package.json, not sources or tests', () => {
    expect(config.asar).toBe(true);
    const [matcher] = getMainFileMatchers(projectDir, '/app', (p: string) => p, linux.platformSpecificBuildOptions, linux, join(projectDir, 'dist'), false);
    const packs = matcher.createFilter();
    const file = { isDirectory: () => false };
    const packed = (path: string): boolean => packs(join(projectDir, path), file);
    const { main } = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { main: string };
    expect(main).toBe('out/main/index.js');
    for (const path of [main, 'package.json', 'out/main/worker.js', 'out/main/chunks-app-core-abc123.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/ringtone-x1.wav'])
      expect(packed(path), path).toBe(true);
    for (const path of [
      'src/main/index.ts',
      'src/main/cli.test.ts',
      'test/packaging/electron-builder-config.test.ts',
      'e2e/ui-call.spec.ts',
      'scripts/make-icons.ts',
      'bench/srtp.mjs',
      'assets/test-vp8.ivf',
      'out/main/index.js.map',
      'electron-builder.config.ts',
      'README.md',
    ])
      expect(packed(path), path).toBe(false);
  });

  it('registers sip: and sips: as URL schemes', () => {
    const schemes = (config.protocols as { schemes: string[] }[]).flatMap((p) => p.schemes);
    expect(schemes).toEqual(['sip', 'sips']);
  });

  it('writes a desktop entry for a telephony app that opens sip: and sips: links', async () => {
    const helper = new LinuxTargetHelper(linux);
    const entry = desktopEntry(await helper.computeDesktopEntry(linux.platformSpecificBuildOptions));
    expect(entry.get('Name')).toBe('Vouch');
    expect(entry.get('Type')).toBe('Application');
    expect(entry.get('Categories')).toBe('Network;Telephony;');
    expect(entry.get('MimeType')).toBe('x-scheme-handler/sip;x-scheme-handler/sips;');
    // %U: the launcher passes the clicked URL on argv, where src/main/index.ts looks for it.
    expect(entry.get('Exec')).toMatch(/ %U$/);
    expect(entry.get('Icon')).toBe('vouch');
    // The window is tied to the entry through app_id/WM_CLASS = desktopName minus ".desktop".
    expect(packager.metadata.desktopName).toBe('vouch.desktop');
    expect(entry.get('StartupWMClass')).toBe('vouch');
    expect(helper.getDesktopFileName()).toBe('vouch');
  });

  it('gives Linux a PNG for every hicolor size, each as large as its name says', async () => {
    const icons: { file: string; size: number }[] = await new LinuxTargetHelper(linux).icons;
    expect(icons.map((i) => i.size)).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024]);
    for (const { file, size } of icons) expect(readPngHeader(readFileSync(file)), file).toEqual({ width: size, height: size, bitDepth: 8, colourType: 6 });
  });

  it('asks macOS for the microphone and camera and allows them under the hardened runtime', () => {
    const info = config.mac?.extendInfo as Record<string, string>;
    expect(info.NSMicrophoneUsageDescription).toMatch(/voice/);
    expect(info.NSCameraUsageDescription).toMatch(/video/);
    const entitlements = readFileSync(join(projectDir, config.mac!.entitlements!), 'utf8');
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.device.audio-input', 'com.apple.security.device.camera'])
      expect(entitlements).toContain(`<key>${key}</key>\n    <true/>`);
  });
});

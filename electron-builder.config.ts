// electron-builder: the installable packages (`npm run dist`, `npm run dist:linux`). Linux builds
// an AppImage and a .deb; macOS a .dmg and Windows an NSIS installer, each built on its own OS.
// Packing downloads the Electron binary, which this machine cannot: test/packaging/ loads this
// file through electron-builder's own loader and schema (electron-builder-config.test.ts) and
// packs the unpacked Linux and macOS trees around stand-in Electron binaries (pack-dir.test.ts).
import type { Configuration } from 'electron-builder';
// The schemes the app registers at run time too (src/main/index.ts), from one list.
import { SIP_SCHEMES } from './src/main/electron/sip-links';

const config: Configuration = {
  appId: 'org.vouch.phone',
  productName: 'Vouch',
  copyright: 'Vouch contributors, MIT licence',
  // electron-vite writes everything the app runs into out/ (main, preload, renderer, the media
  // worker); the runtime dependencies come from package.json "dependencies". Sources, tests,
  // test media and tooling stay out.
  directories: { output: 'dist', buildResources: 'assets' },
  files: ['out/**/*', '!out/**/*.map', 'package.json', '!src/**', '!test/**', '!e2e/**', '!bench/**', '!scripts/**', '!**/*.test.*'],
  asar: true,
  extraMetadata: {
    // Electron's app_id / WM_CLASS comes from desktopName; the .desktop file must have the same
    // name for the desktop to tie the window (and its tray icon, notifications) to the entry.
    desktopName: 'vouch.desktop',
    // The .deb's Homepage field is required. A reserved name (RFC 2606) until the project
    // has a public home; replace it then.
    homepage: 'https://vouch.invalid/',
  },
  protocols: [{ name: 'SIP call', schemes: [...SIP_SCHEMES], role: 'Viewer' }],
  // Fuses flipped in the Electron binary when it is packed (electron/fuses): no way to run it as
  // plain Node, no NODE_OPTIONS or --inspect into the main process, encrypted cookies, and code
  // loaded only from the app.asar whose integrity is checked.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'vouch',
    icon: 'assets/icons',
    category: 'Network;Telephony',
    syncDesktopName: true,
    synopsis: 'End-to-end encrypted SIP video phone',
    description: 'Vouch places and answers SIP calls with ZRTP key agreement and SRTP media.',
    maintainer: 'Vouch contributors <vouch@localhost>',
    // The desktop entry's MimeType gets x-scheme-handler/sip;x-scheme-handler/sips; from
    // `protocols` above, and Exec ends in %U, so a sip: link arrives on the app's argv.
    desktop: {
      entry: {
        Name: 'Vouch',
        GenericName: 'Video Phone',
        Keywords: 'SIP;VoIP;phone;call;video;ZRTP;',
      },
    },
  },
  deb: {
    // What the Electron runtime needs beyond electron-builder's defaults: the secret service
    // for safeStorage and the notification daemon's library.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
    priority: 'optional',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: {
    target: ['dmg'],
    icon: 'assets/icon.icns',
    category: 'public.app-category.social-networking',
    hardenedRuntime: true,
    entitlements: 'assets/entitlements.mac.plist',
    entitlementsInherit: 'assets/entitlements.mac.plist',
    // macOS asks the user before the microphone and camera open; these are the reasons it shows.
    extendInfo: {
      NSMicrophoneUsageDescription: 'Vouch sends your voice to the person you call.',
      NSCameraUsageDescription: 'Vouch sends your video to the person you call.',
    },
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'], icon: 'assets/icon.ico' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, artifactName: '${productName}-Setup-${version}.${ext}' },
};

export default config;

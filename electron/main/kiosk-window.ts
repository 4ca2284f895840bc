/**
 * The kiosk window's options, checklist points 2–4, 6, 8–11 in one place: the page runs sandboxed and
 * isolated without Node, with web security on and no experimental or insecure switches; full screen with
 * no way out in a packaged build, a normal window with devtools in a checkout.
 */
export function kioskWindowOptions(options: { production: boolean; preload: string }) {
  return {
    kiosk: options.production,
    fullscreen: options.production,
    autoHideMenuBar: true,
    backgroundColor: '#101828',
    // Shown once the first frame is painted, so visitors never see a white flash.
    show: false,
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !options.production,
    },
  } as const;
}

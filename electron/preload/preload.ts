import { contextBridge, ipcRenderer } from 'electron';
import { KIOSK_IPC_CHANNEL, KIOSK_METHODS } from '../common/kiosk-methods';
import { buildKioskBridge } from './kiosk-bridge';

// The page gets one plain function per contract method; ipcRenderer itself never crosses the bridge.
contextBridge.exposeInMainWorld('kiosk', buildKioskBridge(KIOSK_METHODS, (method, args) => ipcRenderer.invoke(KIOSK_IPC_CHANNEL, method, args)));

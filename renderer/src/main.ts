import '@fontsource-variable/noto-sans-sc';
import { mount } from 'svelte';
import { PIN_FREE_ATTEMPTS } from '../../electron/common/admin-policy';
import App from './App.svelte';
import './app.css';
import { connectKioskApi } from './lib/transport';
import { AdminConsole } from './state/admin-console.svelte';
import { KioskSession } from './state/kiosk-session.svelte';

const api = connectKioskApi();
const session = new KioskSession(api);
const admin = new AdminConsole(api, session, { freeAttempts: PIN_FREE_ATTEMPTS });
void session.load();
void admin.checkSetup();
mount(App, { target: document.getElementById('app')!, props: { session, admin } });

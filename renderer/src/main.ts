import '@fontsource-variable/noto-sans-sc';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { connectKioskApi } from './lib/transport';
import { KioskSession } from './state/kiosk-session.svelte';

const session = new KioskSession(connectKioskApi());
void session.load();
mount(App, { target: document.getElementById('app')!, props: { session } });

// The SPICE console: spice-html5, one WebSocket per SPICE channel, all through rvd_front's proxy.
import { SpiceMainConn, sendCtrlAltDel, handle_resize } from '/lib/spice-html5/src/main.js';
import { fetchTicket, setStatus, wireFullScreen } from './console-common.js';

const screen = document.getElementById('screen');

async function connect() {
    let ticket;
    try {
        ticket = await fetchTicket();
    } catch (error) {
        setStatus(`Cannot open the console: ${error.message}`, 'failed');
        return;
    }
    let connection;
    try {
        connection = new SpiceMainConn({
            uri: ticket.url,
            screen_id: 'screen',
            password: ticket.password,
            onerror: (error) => setStatus(`The connection failed: ${error.message ?? error}. Reload the page to reconnect.`, 'disconnected'),
            onsuccess: () => setStatus('Connected', 'connected'),
        });
    } catch (error) {
        setStatus(`Cannot open the console: ${error.message}`, 'failed');
        return;
    }
    window.addEventListener('resize', handle_resize);
    document.getElementById('send-ctrl-alt-del').addEventListener('click', () => sendCtrlAltDel(connection));
    wireFullScreen(screen);
}

connect();

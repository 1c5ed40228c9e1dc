// The VNC console: noVNC drawing on a canvas, through rvd_front's WebSocket proxy.
import RFB from '/lib/novnc/core/rfb.js';
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
    const rfb = new RFB(screen, ticket.url, { credentials: { password: ticket.password }, wsProtocols: ['binary'] });
    rfb.scaleViewport = true;
    rfb.focusOnClick = true;
    rfb.addEventListener('connect', () => {
        setStatus('Connected', 'connected');
        rfb.focus();
    });
    rfb.addEventListener('disconnect', (event) => {
        setStatus(event.detail.clean ? 'Disconnected: the machine stopped or another viewer took over. Reload to reconnect.'
            : 'The connection was lost. Reload the page to reconnect.', 'disconnected');
    });
    rfb.addEventListener('securityfailure', (event) => setStatus(`The display refused the password (${event.detail.reason ?? 'no reason'}). Reload the page.`, 'failed'));
    rfb.addEventListener('desktopname', (event) => { document.title = `${event.detail.name} · Ravada`; });
    document.getElementById('send-ctrl-alt-del').addEventListener('click', () => rfb.sendCtrlAltDel());
    wireFullScreen(screen);
}

connect();

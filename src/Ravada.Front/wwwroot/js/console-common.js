// What both browser consoles share: fetching the one-time WebSocket address and password, the status line,
// the full-screen button.
const root = document.getElementById('console');
const statusLine = document.getElementById('console-status');

export function setStatus(text, state) {
    statusLine.textContent = text;
    if (state) {
        root.dataset.state = state;
    }
}

export async function fetchTicket() {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch(root.dataset.tokenUrl, {
        method: 'POST',
        headers: { 'X-CSRF-Token': csrf },
        credentials: 'same-origin',
    });
    if (!response.ok) {
        const text = await response.text();
        throw new Error(text.replace(/^"|"$/g, '') || `the portal answered ${response.status}`);
    }
    const ticket = await response.json();
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return { url: `${scheme}//${window.location.host}${ticket.path}`, password: ticket.password };
}

export function wireFullScreen(element) {
    document.getElementById('full-screen').addEventListener('click', () => element.requestFullscreen?.());
}

// Opens the page's live stream (Server-Sent Events) once the page has loaded. A stream opened while the page is
// still loading can hold the browser's load event, and its busy indicator, for as long as the stream lives.
// The container is replaced by a fresh copy so that htmx sets it and its sse-swap children up in order.
window.addEventListener('load', () => {
  for (const container of document.querySelectorAll('[data-live-stream]')) {
    const live = container.cloneNode(true);
    live.setAttribute('hx-ext', 'sse');
    live.setAttribute('sse-connect', container.dataset.liveStream);
    container.replaceWith(live);
    htmx.process(live);
  }
});

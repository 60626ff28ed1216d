// leafpress preview: keep the open page in step with the files on disk.
// The server pushes the new HTML over a WebSocket after each save; this swaps it in,
// keeping scroll positions and focus, and loads new page images before showing them.
(() => {
  "use strict";
  const live = document.getElementById("live");
  const status = document.getElementById("live-status");
  if (!live || !status) return;
  const statusText = status.querySelector(".live-text");
  let retries = 0;
  let applying = Promise.resolve();  // updates are applied in the order they came

  function setStatus(state, text) {
    status.dataset.state = state;
    statusText.textContent = text;
  }

  function subscription() {
    return JSON.stringify({
      type: "watch", view: live.dataset.view, leaflet: live.dataset.leaflet || null,
      format: live.dataset.format || null, rev: Number(live.dataset.rev || 0),
    });
  }

  async function apply(message) {
    const fresh = document.createElement("div");
    fresh.innerHTML = message.html;
    // Wait for the new page images so the pages never flash blank.
    await Promise.all([...fresh.querySelectorAll("img")].map((img) => img.decode().catch(() => {})));
    const scrolls = new Map([...live.querySelectorAll("[data-keep-scroll]")]
      .map((el) => [el.dataset.keepScroll, el.scrollTop]));
    const closed = new Set([...live.querySelectorAll("details[id]")].filter((d) => !d.open).map((d) => d.id));
    const opened = new Set([...live.querySelectorAll("details[id]")].filter((d) => d.open).map((d) => d.id));
    const focused = document.activeElement;
    const focusKey = focused && live.contains(focused) ? focused.dataset.keepScroll : null;
    live.replaceChildren(...fresh.childNodes);
    live.dataset.rev = String(message.rev);
    // The editor's own choices stay as they were: open or closed panels, scroll, focus.
    for (const details of live.querySelectorAll("details[id]")) {
      if (closed.has(details.id)) details.open = false;
      if (opened.has(details.id)) details.open = true;
    }
    for (const el of live.querySelectorAll("[data-keep-scroll]")) {
      if (scrolls.has(el.dataset.keepScroll)) el.scrollTop = scrolls.get(el.dataset.keepScroll);
      if (focusKey && el.dataset.keepScroll === focusKey) el.focus({ preventScroll: true });
    }
    if (message.ok === false) setStatus("error", message.status);
    else setStatus("live", message.status || "Live: updates when you save");
    document.dispatchEvent(new CustomEvent("leafpress:updated", { detail: { rev: message.rev } }));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/live");
    socket.addEventListener("open", () => {
      retries = 0;
      setStatus("live", "Live: updates when you save");
      socket.send(subscription());
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "building") setStatus("building", "Updating…");
      else if (message.type === "update") applying = applying.then(() => apply(message));
    });
    socket.addEventListener("close", () => {
      setStatus("offline", "Preview server stopped: reconnecting…");
      retries += 1;
      setTimeout(connect, Math.min(5000, 250 * 2 ** retries));
    });
  }

  connect();
})();

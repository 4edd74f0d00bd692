// Starts Blazor. On wall screens (?kiosk) nobody will ever click "Retry": the page keeps trying to
// reconnect, and reloads once the server is back but has forgotten this page's circuit.
(() => {
    const kiosk = new URLSearchParams(location.search).has("kiosk");
    const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

    async function serverIsUp() {
        try {
            await fetch("healthz", { cache: "no-store" });
            return true; // any answer, 200 or 503, means the app is there
        } catch {
            return false;
        }
    }

    async function reconnectForever() {
        for (let attempt = 0; ; attempt++) {
            await delay(Math.min(500 * 2 ** attempt, 5000));
            try {
                if (await Blazor.reconnect()) {
                    return;
                }
            } catch {
                // not reachable yet
            }

            // Reload only when the server answers: a reload into a dead server would leave the
            // screen on the browser's error page for good.
            if (await serverIsUp()) {
                location.reload();
                return;
            }
        }
    }

    const options = {};
    if (kiosk) {
        options.circuit = {
            reconnectionHandler: {
                onConnectionDown: () => {
                    document.documentElement.classList.add("circuit-down");
                    reconnectForever();
                },
                onConnectionUp: () => document.documentElement.classList.remove("circuit-down"),
            },
        };
    }

    Blazor.start(options);

    // Time in state ("busy 3:12"): the server renders when a lamp changed, this ticks the text.
    let clockOffset = 0;
    function format(ms) {
        const total = Math.max(0, Math.floor(ms / 1000));
        const h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60;
        const ss = String(s).padStart(2, "0");
        return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
    }

    function measureClock() {
        const board = document.querySelector("[data-server-time]");
        if (board && board.dataset.serverTime !== board.dataset.seenServerTime) {
            // Measure the server's clock against ours once per page, so skew does not show.
            board.dataset.seenServerTime = board.dataset.serverTime;
            clockOffset = Number(board.dataset.serverTime) - Date.now();
        }
    }

    function show(since, now) {
        const text = " " + format(now - Number(since.dataset.since));
        if (since.textContent !== text) {
            since.textContent = text;
        }
    }

    // Once a second, every timer; a board may hold thousands, so nothing else touches them all.
    function tick() {
        measureClock();
        const now = Date.now() + clockOffset;
        for (const since of document.querySelectorAll(".tile-since[data-since]")) {
            show(since, now);
        }
    }

    // A tile that just changed gets its timer at once: only the timers the render added (a changed
    // tile is new HTML, never an attribute changed in place).
    new MutationObserver(records => {
        measureClock();
        const now = Date.now() + clockOffset;
        for (const record of records) {
            for (const node of record.addedNodes) {
                if (node.nodeType !== Node.ELEMENT_NODE) {
                    continue;
                }

                if (node.matches(".tile-since[data-since]")) {
                    show(node, now);
                }

                for (const since of node.querySelectorAll(".tile-since[data-since]")) {
                    show(since, now);
                }
            }
        }
    }).observe(document.body, { subtree: true, childList: true });

    setInterval(tick, 1000);
    tick();
})();

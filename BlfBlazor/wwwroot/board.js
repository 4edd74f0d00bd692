// Starts Blazor, and keeps the board honest when the page loses its server (the app restarts or
// dies, the network drops): the board at once says so and marks every lamp last known, exactly as
// the server marks it when the PBX is lost (board-stale.js), and our notice says so too. Nobody needs
// to click: the page keeps trying to reconnect, and reloads once the server is back but has forgotten
// this page's circuit. People also get "Reload".
(() => {
    const notice = document.getElementById("blf-server-lost");
    const delay = ms => new Promise(resolve => setTimeout(resolve, ms));
    let serverLost = false;
    let reconnecting = false;

    async function serverIsUp() {
        try {
            await fetch("healthz", { cache: "no-store" });
            return true; // any answer, 200 or 503, means the app is there
        } catch {
            return false;
        }
    }

    async function reconnectForever() {
        if (reconnecting) {
            return;
        }

        reconnecting = true;
        try {
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
        } finally {
            reconnecting = false;
        }
    }

    function lose() {
        serverLost = true;
        blfStale.lose();
    }

    function regain() {
        serverLost = false;
        blfStale.regain();
    }

    // Operators' tile buttons are HTML shared by every board, so no Blazor handler sits on them: a click,
    // or Enter on a tile, becomes one "blfaction" event that the board's own handler receives.
    Blazor.registerCustomEventType("blfaction", {
        createEventArgs: e => ({ action: e.detail.action, guid: e.detail.guid }),
    });

    function act(tile, action) {
        tile.dispatchEvent(new CustomEvent("blfaction", { bubbles: true, detail: { action, guid: tile.dataset.guid } }));
    }

    // Enter does the one thing the tile is for: pick up when it rings, put through while the operator
    // has a caller, else call.
    function primaryAction(tile) {
        const board = tile.closest("[data-operator]");
        if (tile.querySelector("[data-action=pickup]")) {
            return "pickup";
        }

        return board && board.hasAttribute("data-operator-call") ? "transfer" : "call";
    }

    function ownTile(tile) {
        return tile.parentElement?.hasAttribute("data-own") ?? false;
    }

    // A colleague's menu (presence, forwarding) is the board's, opened from a tile: it gets the focus when
    // it opens, Escape closes it, and the focus goes back to the tile it came from.
    let menuOpener = null;

    function tileOf(guid) {
        return guid ? document.querySelector(`[data-testid=blf-tile][data-guid="${CSS.escape(guid)}"]`) : null;
    }

    document.addEventListener("click", e => {
        const button = e.target instanceof Element ? e.target.closest(".tile [data-action]") : null;
        const tile = button?.closest("[data-testid=blf-tile]");
        if (tile && tile.closest("[data-operator]") && !ownTile(tile)) {
            e.preventDefault();
            if (button.dataset.action === "presence" || button.dataset.action === "forward") {
                menuOpener = tile.dataset.guid;
            }

            act(tile, button.dataset.action);
        }
    });

    document.addEventListener("keydown", e => {
        const menu = e.target instanceof Element ? e.target.closest("[data-menu]") : null;
        if (menu && e.key === "Escape") {
            e.preventDefault();
            menu.querySelector("[data-menu-close]")?.click();
        }
    });

    function menuOpened(menu) {
        (menu.querySelector("[data-menu-start]") ?? menu.querySelector("button, input, select"))?.focus();
    }

    function menuClosed() {
        // The tile may have been drawn anew meanwhile: find it by its user, and only where the focus went nowhere.
        const active = document.activeElement;
        if (!active || active === document.body || !active.isConnected) {
            tileOf(menuOpener)?.focus();
        }
    }

    document.addEventListener("keydown", e => {
        const target = e.target instanceof Element ? e.target : null;
        const tile = target?.closest("[data-testid=blf-tile]");
        if (!tile || !tile.closest("[data-operator]") || ownTile(tile) || !tile.querySelector(".tile-actions")) {
            return;
        }

        const buttons = [...tile.querySelectorAll(".tile-actions [data-action]")].filter(b => b.checkVisibility());
        if (target === tile && e.key === "Enter") {
            e.preventDefault();
            act(tile, primaryAction(tile));
        } else if (target === tile && (e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey))) {
            // The other actions: a menu of the tile's own buttons, arrows between them, Escape back.
            e.preventDefault();
            buttons[0]?.focus();
        } else if (target !== tile && buttons.includes(target)) {
            const at = buttons.indexOf(target);
            if (e.key === "ArrowRight" || e.key === "ArrowDown") {
                e.preventDefault();
                buttons[(at + 1) % buttons.length].focus();
            } else if (e.key === "ArrowLeft" || e.key === "ArrowUp") {
                e.preventDefault();
                buttons[(at + buttons.length - 1) % buttons.length].focus();
            } else if (e.key === "Escape") {
                e.preventDefault();
                tile.focus();
            }
        }
    });

    // The board writes its view into the address (after a pause in typing) through this, awaited, so a
    // page that falls behind costs the board nothing but a late address (ViewUrl).
    window.blfBoard = {
        replaceUrl: url => history.replaceState(history.state, "", url),
    };

    Blazor.start({
        circuit: {
            // A silent network path shows only as missing pings; the server pings every second.
            configureSignalR: builder => builder.withServerTimeout(Number(notice.dataset.serverTimeoutMs)),
            reconnectionHandler: {
                onConnectionDown: () => {
                    lose();
                    reconnectForever();
                },
                onConnectionUp: regain,
            },
        },
    });

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
        if (serverLost) {
            return; // stale tiles have no timers: nothing may count on as if current
        }

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
            for (const node of record.removedNodes) {
                if (node.nodeType === Node.ELEMENT_NODE && node.matches("[data-menu]")) {
                    menuClosed();
                }
            }

            for (const node of record.addedNodes) {
                if (node.nodeType !== Node.ELEMENT_NODE) {
                    continue;
                }

                if (node.matches("[data-menu]")) {
                    menuOpened(node);
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

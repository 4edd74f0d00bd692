// The board's last-known look when its server is not there, defined once for the page: the prerendered
// board until its circuit has rendered (loaded before the framework, so it holds even when the framework
// never arrives), and board.js when a circuit is lost. Either way the board says so and every tile is
// marked exactly as the server marks it for a lost PBX (data-stale and the board's last-known note).
window.blfStale = (() => {
    const notice = document.getElementById("blf-server-lost");

    // A text such as "Board server unreachable since {0}" with its arguments, as the server's localizer fills it.
    const fill = (format, args) => format.replace(/\{(\d+)\}/g, (_, i) => args[Number(i)] ?? "");
    const two = n => String(n).padStart(2, "0");
    const clock = date => `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;

    // "(last known)" after a stale tile's word comes from tiles.css, in the page's language.
    document.documentElement.style.setProperty("--blf-last-known", JSON.stringify(` (${notice.dataset.lastKnown})`));

    // Only attributes and existing text nodes change outside tiles: a circuit renders the board afresh
    // (its first render replaces the prerendered one; after a reconnection FreshAfterReconnect), and
    // until then Blazor's references hold. statusText null keeps the status the server wrote.
    function markBoard(token, statusText) {
        const board = document.querySelector("[data-testid=blf-board]");
        if (!board) {
            return;
        }

        board.setAttribute("data-connection", token);
        board.setAttribute("data-interactive", "false");
        board.classList.add("board--stale");
        const status = board.querySelector("[data-testid=blf-connection]");
        if (status && statusText !== null) {
            status.className = status.className.replace(/\bconnection--[\w-]+/g, "") + ` connection--${token}`;
            const text = [...status.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim()).pop();
            const value = " " + statusText + " ";
            if (text) {
                text.nodeValue = value;
            } else {
                status.append(value);
            }
        }

        // Blazor tracks a tile as one markup node, so attributes changed on it cannot confuse a later render.
        markTiles(board, true);

        const note = document.getElementById("blf-stale-note");
        if (note) {
            note.textContent = notice.dataset.lastKnown;
        }
    }

    // Every tile (and queue card) under root marked last known, or live again: exactly the difference between the server's
    // stale and live tile (data-stale, and the board's last-known note among its descriptions).
    function markTiles(root, stale) {
        if (stale) {
            for (const tile of root.querySelectorAll(":is([data-testid=blf-tile], [data-testid=blf-queue]):not([data-stale])")) {
                tile.setAttribute("data-stale", "true");
                const describedBy = tile.getAttribute("aria-describedby");
                tile.setAttribute("aria-describedby", describedBy ? `${describedBy} blf-stale-note` : "blf-stale-note");
            }
        } else {
            for (const tile of root.querySelectorAll(":is([data-testid=blf-tile], [data-testid=blf-queue])[data-stale]")) {
                tile.removeAttribute("data-stale");
                const describedBy = (tile.getAttribute("aria-describedby") ?? "").split(" ").filter(id => id && id !== "blf-stale-note").join(" ");
                if (describedBy) {
                    tile.setAttribute("aria-describedby", describedBy);
                } else {
                    tile.removeAttribute("aria-describedby");
                }
            }
        }
    }

    // The board server is not there (lost, or never came): the board and our notice say so.
    function lose() {
        markBoard("reconnecting", fill(notice.dataset.status, [clock(new Date())]));
        document.documentElement.classList.add("circuit-down");
        notice.hidden = false;
    }

    function regain() {
        // The board stays marked until the circuit's render replaces it: better a moment too long last
        // known than a moment too early live.
        document.documentElement.classList.remove("circuit-down");
        notice.hidden = true;
    }

    notice.querySelector("button")?.addEventListener("click", () => location.reload());

    // The prerendered board shows what the server knew when it sent the page, not what happens
    // meanwhile: last known (the server wrote data-connection="connecting" and the status already) until
    // the circuit has rendered, and after a few seconds without one, no connection.
    const prerendered = document.querySelector("[data-testid=blf-board][data-interactive=false]");
    if (prerendered) {
        markBoard(prerendered.getAttribute("data-connection") ?? "connecting", null);
        let gaveUp = false;
        const timer = setTimeout(() => {
            gaveUp = true;
            lose();
        }, Number(notice.dataset.circuitStartTimeoutMs));
        const rendered = new MutationObserver(() => {
            if (document.querySelector("[data-testid=blf-board][data-interactive=true]")) {
                rendered.disconnect();
                clearTimeout(timer);
                if (gaveUp) {
                    regain();
                }
            }
        });
        rendered.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-interactive"] });
    }

    return { lose, regain, markTiles };
})();

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
        createEventArgs: e => ({ action: e.detail.action, guid: e.detail.guid, call: e.detail.call ?? null }),
    });

    // A queue card's "take" buttons (QueueCard.cs): the card's queue, and the caller when the button names one.
    document.addEventListener("click", e => {
        const button = e.target instanceof Element ? e.target.closest(".queue-card [data-action=take]") : null;
        const card = button?.closest("[data-testid=blf-queue]");
        if (card && card.closest("[data-operator]") && !card.hasAttribute("data-stale")) {
            e.preventDefault();
            card.dispatchEvent(new CustomEvent("blfaction", { bubbles: true, detail: { action: "take", guid: card.dataset.guid, call: button.dataset.call } }));
        }
    });

    // A signed-in person's star beside each tile (TileBlockView draws the same): their favourites. The board
    // says whose it is by carrying the button's name; the click is one "blfaction" like an operator's.
    document.addEventListener("click", e => {
        const button = e.target instanceof Element ? e.target.closest("[data-testid=blf-action-favourite]") : null;
        const tile = button?.parentElement?.querySelector("[data-testid=blf-tile]");
        if (tile && button.closest("[data-favourite-label]")) {
            e.preventDefault();
            act(tile, "favourite");
        }
    });

    function star(item) {
        const label = document.querySelector("[data-favourite-label]")?.dataset.favouriteLabel;
        const tile = item.firstElementChild;
        if (label === undefined || !tile || item.querySelector("[data-testid=blf-action-favourite]")) {
            return;
        }

        const button = document.createElement("button");
        button.type = "button";
        button.className = "tile-favourite";
        button.dataset.testid = "blf-action-favourite";
        button.setAttribute("aria-label", label.replace("{0}", tile.querySelector(".tile-name")?.textContent ?? ""));
        item.append(button);
        favourite(item);
    }

    // A button of one item in the tile's detail (a missed call, a callback) names the item: its key goes as "call".
    function act(tile, action, item) {
        tile.dispatchEvent(new CustomEvent("blfaction", { bubbles: true, detail: { action, guid: tile.dataset.guid, call: item ?? null } }));
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
            if (button.dataset.action === "presence" || button.dataset.action === "forward" || button.dataset.action === "take-message") {
                menuOpener = tile.dataset.guid;
            }

            act(tile, button.dataset.action, button.dataset.callKey ?? button.dataset.callback);
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

        const buttons = [...tile.querySelectorAll(".tile-actions [data-action], .tile-detail [data-action]")].filter(b => b.checkVisibility());
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

    // The tile list, once the board is interactive, is this script's: Blazor draws an empty list element
    // and the server sends each change as one payload per view and version (BoardDelta), applied here in
    // place. The prerendered tiles are adopted, not drawn anew: the moment Blazor's first render replaces
    // the prerendered list element, its sections move into the new one (before the browser paints), and
    // the server, told which version they show, sends nothing, a delta or the whole list.
    let prerenderedTiles = document.querySelector("[data-testid=blf-tiles][data-tiles]");
    // Stars null until the board first says them: the prerendered ones may be older than the person's
    // stars by the time the circuit is live, so the first word always goes over every item.
    let marks = { own: null, ownLabel: null, actions: {}, favourites: null };
    let marked = false;

    function tilesHost() {
        return document.querySelector("[data-testid=blf-tiles]");
    }

    function adopt() {
        const host = tilesHost();
        if (!prerenderedTiles || !host || host.hasAttribute("data-tiles")) {
            return; // nothing to adopt, or Blazor has not drawn its own list element yet
        }

        host.append(...prerenderedTiles.childNodes);
        host.blfAdopted = prerenderedTiles.dataset.tiles;
        prerenderedTiles = null;
    }

    // "version:view" of the tiles this page adopted, for the server to choose what to send; null: none.
    function adoptTiles() {
        adopt();
        const host = tilesHost();
        const adopted = host?.blfAdopted ?? null;
        if (host && adopted !== null) {
            host.blfVersion = Number(adopted.split(":", 1)[0]);
        }

        return adopted;
    }

    function scoped(host, name) {
        // The page's scoped styles (section, heading) apply to elements carrying its scope attribute.
        const element = document.createElement(name);
        for (const attribute of host.attributes) {
            if (attribute.name.startsWith("b-")) {
                element.setAttribute(attribute.name, "");
            }
        }

        return element;
    }

    function tileItem(html) {
        const item = document.createElement("li");
        item.innerHTML = html;
        star(item);
        return item;
    }

    function section(host, title, count, tiles) {
        const element = scoped(host, "section");
        element.className = "section";
        element.setAttribute("aria-label", title ?? host.dataset.usersLabel);
        if (title !== null) {
            const heading = scoped(host, "h2");
            heading.className = "section-title";
            heading.dataset.testid = "blf-group";
            const counted = scoped(host, "span");
            counted.className = "section-count";
            counted.textContent = `(${count})`;
            heading.append(title, " ", counted);
            element.append(heading);
        }

        const list = document.createElement("ul");
        list.className = "tiles";
        list.append(...tiles.map(tile => tileItem(tile.html)));
        element.append(list);
        return element;
    }

    // A section's tiles by key (their user's guid), kept on its list as changes come.
    function tilesOf(list) {
        if (!list.blfTiles) {
            list.blfTiles = new Map();
            for (const item of list.children) {
                const key = item.firstElementChild?.dataset.guid;
                if (key !== undefined) {
                    list.blfTiles.set(key, item);
                }
            }
        }

        return list.blfTiles;
    }

    function tileAt(tiles, key) {
        const item = tiles.get(key);
        if (!item) {
            throw new Error(`No tile ${key} on the page.`);
        }

        return item;
    }

    // In place: the tile and every element that is still there stay the same elements, and only the
    // attributes and texts that differ are set (a lamp change sets data-state and the state word), so the
    // focus stays where it was and the browser restyles only what changed.
    function changeTile(item, html) {
        const template = document.createElement("template");
        template.innerHTML = html;
        const next = template.content.firstElementChild;
        const tile = item.firstElementChild;
        if (!tile || !next || tile.tagName !== next.tagName) {
            item.replaceChildren(...template.content.childNodes);
            star(item);
            return;
        }

        morph(tile, next);
        const now = Date.now() + clockOffset;
        for (const since of tile.querySelectorAll(".tile-since[data-since]")) {
            show(since, now);
        }
    }

    function setAttributes(element, next) {
        for (const attribute of [...element.attributes]) {
            if (!next.hasAttribute(attribute.name)) {
                element.removeAttribute(attribute.name);
            }
        }

        for (const attribute of next.attributes) {
            if (element.getAttribute(attribute.name) !== attribute.value) {
                element.setAttribute(attribute.name, attribute.value);
            }
        }
    }

    function morph(element, next) {
        setAttributes(element, next);
        if (element.matches(".tile-since")) {
            return; // its text is this page's ticking timer
        }

        let at = element.firstChild;
        for (let wanted = next.firstChild; wanted !== null;) {
            const following = wanted.nextSibling;
            if (at !== null && at.nodeType === wanted.nodeType && at.nodeName === wanted.nodeName
                && (at.nodeType === Node.TEXT_NODE || at.nodeType === Node.ELEMENT_NODE)) {
                if (at.nodeType === Node.TEXT_NODE) {
                    if (at.nodeValue !== wanted.nodeValue) {
                        at.nodeValue = wanted.nodeValue;
                    }
                } else {
                    morph(at, wanted);
                }

                at = at.nextSibling;
            } else {
                element.insertBefore(wanted, at);
            }

            wanted = following;
        }

        while (at !== null) {
            const following = at.nextSibling;
            at.remove();
            at = following;
        }
    }

    function childOf(element, tagName) {
        for (const child of element.children) {
            if (child.tagName === tagName) {
                return child;
            }
        }

        return null;
    }

    function applySection(element, change) {
        // Children by tag, not ":scope >" selectors: those walk every tile's elements below to find a child.
        const list = childOf(element, "UL");
        const tiles = tilesOf(list);
        const counted = childOf(element, "H2")?.querySelector(".section-count");
        if (counted) {
            counted.textContent = `(${change.count})`;
        }

        for (const key of change.removed) {
            tileAt(tiles, key).remove();
            tiles.delete(key);
        }

        for (const tile of change.changed) {
            changeTile(tileAt(tiles, tile.key), tile.html);
        }

        // In reverse board order: each tile goes before one that already stands where it belongs.
        for (const placed of change.placed) {
            let item;
            if (placed.html !== undefined) {
                item = tileItem(placed.html);
                tiles.set(placed.key, item);
            } else {
                item = tileAt(tiles, placed.key);
            }

            list.insertBefore(item, placed.before === null ? null : tileAt(tiles, placed.before));
        }
    }

    // The header's words from a payload: the same text nodes Blazor rendered get new text (Blazor keeps
    // them by reference, so a node replaced here would be lost to its next render).
    function setText(element, text) {
        const node = element?.firstChild;
        if (node?.nodeType === Node.TEXT_NODE && node.nodeValue !== text) {
            node.nodeValue = text;
        }
    }

    function applyHeader(change) {
        const counts = document.querySelectorAll("[data-testid=blf-counts] .count-text");
        change.countTexts.forEach((text, i) => setText(counts[i], text));
        if (change.shownText !== null) {
            setText(document.querySelector("[data-testid=blf-shown]"), change.shownText);
        }
    }

    // The payloads of one change, in order: the deltas from the version the page shows, or the whole list.
    function applyTiles(...payloads) {
        for (const change of payloads) {
            applyPayload(change);
        }
    }

    function applyPayload(change) {
        const host = tilesHost();
        if (change.full) {
            host.replaceChildren(...change.sections.map(s => section(host, s.title, s.count, s.tiles)));
        } else {
            // A delta fits only the version it was made from; refused, the server sends the whole list.
            const sections = [...host.children].filter(child => child.tagName === "SECTION");
            if (host.blfVersion !== change.from || sections.length !== change.sections.length) {
                throw new Error(`The tiles show version ${host.blfVersion}, the change is from ${change.from}.`);
            }

            change.sections.forEach((s, i) => applySection(sections[i], s));
        }

        host.blfVersion = change.version;
        applyHeader(change);
        if (host.blfStale !== change.stale) {
            // Stale as a whole: one flag marks every tile last known, or live again (the prerendered ones were marked).
            blfStale.markTiles(host, change.stale);
            host.blfStale = change.stale;
        }

        applyMarks(host);
    }

    // An operator's own tile and their actions' states: this board's marks on the tiles' list items.
    function markTiles(own, ownLabel, actions, favourites) {
        const starsBefore = marks.favourites;
        marks = { own, ownLabel, actions: actions ?? {}, favourites: new Set(favourites ?? []) };
        const host = tilesHost();
        if (host) {
            applyMarks(host);
            if (starsBefore === null || starsBefore.size !== marks.favourites.size || [...marks.favourites].some(guid => !starsBefore.has(guid))) {
                markFavourites(host);
            }
        }
    }

    function applyMarks(host) {
        const guids = Object.keys(marks.actions);
        if (!marked && marks.own === null && guids.length === 0) {
            return;
        }

        for (const item of host.querySelectorAll("li[data-own], li[data-action-state]")) {
            item.removeAttribute("data-own");
            item.removeAttribute("data-action-state");
        }

        const itemsOf = guid => [...host.querySelectorAll(`[data-testid=blf-tile][data-guid="${CSS.escape(guid)}"]`)].map(tile => tile.parentElement);
        for (const guid of guids) {
            if (marks.actions[guid]) {
                itemsOf(guid).forEach(item => item.setAttribute("data-action-state", marks.actions[guid]));
            }
        }

        if (marks.own !== null) {
            itemsOf(marks.own).forEach(item => item.setAttribute("data-own", marks.ownLabel ?? ""));
        }

        marked = marks.own !== null || guids.length > 0;
    }

    // The person's stars, when they change (a tile drawn later gets its own in star()): one pass over the items.
    function markFavourites(host) {
        for (const item of host.querySelectorAll("li")) {
            favourite(item);
        }
    }

    function favourite(item) {
        const button = item.querySelector(":scope > [data-testid=blf-action-favourite]");
        const starred = marks.favourites?.has(item.firstElementChild?.dataset.guid) ?? false;
        if (starred) {
            item.setAttribute("data-favourite", "true");
        } else {
            item.removeAttribute("data-favourite");
        }

        button?.setAttribute("aria-pressed", starred ? "true" : "false");
    }

    // The board writes its view into the address (after a pause in typing) through this, awaited, so a
    // page that falls behind costs the board nothing but a late address (ViewUrl).
    window.blfBoard = {
        replaceUrl: url => history.replaceState(history.state, "", url),
        adoptTiles,
        applyTiles,
        markTiles,
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
        adopt();
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

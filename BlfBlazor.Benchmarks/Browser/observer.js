// Installed in every viewer page before any of the page's own scripts (Playwright init script).
// It watches the DOM with one MutationObserver and keeps, in window.__blf:
//   complete    - ms after navigation start when all EXPECTED tiles exist and the board is live
//                 (app: [data-connection=live]; direct: window.blfInitialized, announced by
//                 the body's data-initialized attribute);
//   interactive - app only: the same, and the board also has data-interactive="true";
//   records     - while recording: [guid, data-state, unix ms, data-call-peer] for every data-state
//                 change and every tile added, stamped with performance.timeOrigin + performance.now().
(function () {
    "use strict";
    var expected = __EXPECTED__;
    var mode = "__MODE__";
    var state = { complete: null, interactive: null, recording: false, records: [], tiles: 0 };
    window.__blf = state;

    var counted = new Set();
    var selector = '[data-testid="blf-tile"]';

    function isTile(node) {
        return node.nodeType === 1 && node.getAttribute("data-testid") === "blf-tile";
    }

    function eachTile(node, action) {
        if (node.nodeType !== 1) return;
        if (isTile(node)) action(node);
        if (node.firstElementChild) node.querySelectorAll(selector).forEach(action);
    }

    function board() {
        return document.querySelector('[data-testid="blf-board"]');
    }

    function live() {
        if (mode === "direct") return window.blfInitialized === true;
        var b = board();
        return b !== null && b.getAttribute("data-connection") === "live";
    }

    var observer = new MutationObserver(function (mutations) {
        var t = performance.timeOrigin + performance.now();
        for (var i = 0; i < mutations.length; i++) {
            var m = mutations[i];
            if (m.type === "childList") {
                m.removedNodes.forEach(function (node) {
                    eachTile(node, function (tile) {
                        if (counted.delete(tile)) state.tiles--;
                    });
                });
                m.addedNodes.forEach(function (node) {
                    eachTile(node, function (tile) {
                        if (!tile.isConnected || counted.has(tile)) return;
                        counted.add(tile);
                        state.tiles++;
                        if (state.recording) state.records.push([tile.getAttribute("data-guid"), tile.getAttribute("data-state"), t, tile.getAttribute("data-call-peer")]);
                    });
                });
            } else if (m.attributeName === "data-state" && state.recording && isTile(m.target)) {
                state.records.push([m.target.getAttribute("data-guid"), m.target.getAttribute("data-state"), t, m.target.getAttribute("data-call-peer")]);
            }
        }

        if (state.complete === null || (mode === "app" && state.interactive === null)) {
            if (state.tiles >= expected && live()) {
                var now = performance.now();
                if (state.complete === null) state.complete = now;
                if (mode === "app" && state.interactive === null && board().getAttribute("data-interactive") === "true") state.interactive = now;
            }
        }
    });
    observer.observe(document, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ["data-state", "data-connection", "data-interactive", "data-initialized"],
    });
})();

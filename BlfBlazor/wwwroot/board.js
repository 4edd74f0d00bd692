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
})();

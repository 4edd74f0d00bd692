// The direct page: like innovaphone's tutorial, each viewer opens its own AppWebsocket to the PBX,
// gets its login from the web service (GET login?challenge=...), sends RCC Initialize and keeps one
// tile per user. Tiles carry the board's public contract: data-testid, data-guid, data-state.
(function () {
    "use strict";
    var pbx = new URLSearchParams(location.search).get("pbx");
    var tiles = document.getElementById("tiles");
    var users = new Map(); // guid -> tile element

    // The lamp rule: alert -> ringing, else channel -> busy, else a registered device -> idle, else offline.
    function lamp(info) {
        if (info.alert > 0) return "ringing";
        if (info.channel > 0) return "busy";
        if (Array.isArray(info.regs) && info.regs.length > 0) return "idle";
        return "offline";
    }

    function label(info) {
        return (info.dn || info.cn || "") + " " + (info.e164 || "");
    }

    function userInfo(info) {
        var tile = users.get(info.guid);
        if (info.update === "del") {
            if (tile) {
                tile.remove();
                users.delete(info.guid);
            }
            return;
        }

        var state = lamp(info);
        var text = label(info);
        if (!tile) {
            tile = document.createElement("div");
            tile.className = "tile";
            tile.setAttribute("data-testid", "blf-tile");
            tile.setAttribute("data-guid", info.guid);
            tile.setAttribute("data-state", state);
            tile.textContent = text;
            tiles.appendChild(tile);
            users.set(info.guid, tile);
            return;
        }

        if (tile.getAttribute("data-state") !== state) tile.setAttribute("data-state", state);
        if (tile.textContent !== text) tile.textContent = text;
    }

    var ws = new WebSocket(pbx);
    ws.onopen = function () {
        ws.send(JSON.stringify({ mt: "AppChallenge" }));
    };
    ws.onmessage = function (event) {
        var msg = JSON.parse(event.data);
        switch (msg.mt) {
            case "AppChallengeResult":
                fetch("login?challenge=" + encodeURIComponent(msg.challenge))
                    .then(function (response) { return response.json(); })
                    .then(function (login) {
                        login.mt = "AppLogin";
                        ws.send(JSON.stringify(login));
                    });
                break;
            case "AppLoginResult":
                if (msg.ok === true) {
                    ws.send(JSON.stringify({ api: "RCC", mt: "Initialize", src: "direct" }));
                } else {
                    document.body.setAttribute("data-error", "login refused");
                }
                break;
            case "UserInfo":
                userInfo(msg);
                break;
            case "InitializeResult":
                window.blfInitialized = true;
                document.body.setAttribute("data-initialized", "true");
                break;
        }
    };
    ws.onclose = function () {
        window.blfInitialized = false;
        document.body.setAttribute("data-error", "closed");
    };
})();

// drift room, a player's phone: join, wait, hear the message for a few seconds, pass it on.
// Everything shown comes from the server's view (server-sent events); text is set with
// textContent only. The phone's key and any unsent words live in localStorage, so a phone
// that sleeps, reloads or loses the Wi-Fi keeps its seat and its typing.
"use strict";
(function () {
  const base = document.body.dataset.base;
  const store = "drift-room:" + base;
  const $ = (id) => document.getElementById(id);
  let key = localStorage.getItem(store + ":key");
  let view = null;
  let source = null;
  let flash = { hop: null, end: 0, timer: null };

  function show(section) {
    for (const id of ["join", "status", "turn"]) $(id).hidden = id !== section;
  }

  function draftKey(hop) {
    return store + ":draft:" + hop;
  }

  async function post(path, body) {
    let response;
    try {
      response = await fetch(base + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (e) {
      return { error: "Not sent: no connection to the room. Your words are kept here; try again." };
    }
    let data = {};
    try {
      data = await response.json();
    } catch (e) {
      data = { error: "The room answered " + response.status + ": try again." };
    }
    if (!response.ok && !data.error) data.error = "The room answered " + response.status + ": try again.";
    return data;
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(base + "/events?key=" + encodeURIComponent(key));
    source.onopen = () => { $("conn").textContent = ""; };
    source.onerror = () => { $("conn").textContent = "Reconnecting to the room…"; };
    source.onmessage = (e) => render(JSON.parse(e.data));
  }

  function forget(note) {
    if (source) source.close();
    source = null;
    key = null;
    localStorage.removeItem(store + ":key");
    $("conn").textContent = "";
    show("join");
    $("join-error").textContent = note || "";
  }

  function status(title, text, more) {
    show("status");
    $("status-title").textContent = title;
    $("status-text").textContent = text || "";
    $("status-more").textContent = more || "";
  }

  function seatText(v) {
    if (!v.hop) return "You are not seated yet: the facilitator will seat you.";
    const team = v.teams > 1 ? "Team " + v.team + ", " : "";
    return team + "hop " + v.hop + " of " + v.chain + ": you are the " + v.role + ".";
  }

  function waitingFor(w) {
    return w.by ? w.by + " (hop " + w.hop + ", " + w.role + ")" : "the bot (hop " + w.hop + ", " + w.role + ")";
  }

  function render(v) {
    view = v;
    if (v.phase === "gone") return forget("You are no longer in the room: join again.");
    $("where").textContent = v.name + (v.teams > 1 ? " · Team " + v.team : "");
    if (v.phase !== "turn") stopFlash();
    switch (v.phase) {
      case "lobby":
        return status("You are in, " + v.name + ".", seatText(v), "Wait for the facilitator to start.");
      case "waiting":
        return status(
          "Waiting for " + waitingFor(v.waiting_for),
          v.ahead === 1 ? "You are next." : "Your turn comes in " + v.ahead + " hops.",
          seatText(v)
        );
      case "unseated":
        return status("You are in the room.", "You are not seated: the facilitator can seat you.", v.waiting_for ? "Now playing: " + waitingFor(v.waiting_for) : "");
      case "passed":
        return status("Passed on.", "Watch the screen to see where it goes.", v.waiting_for ? "Now playing: " + waitingFor(v.waiting_for) : "");
      case "done":
        return status("The chain is finished.", "Look at the screen.", "");
      case "turn":
        return turn(v);
    }
  }

  function turn(v) {
    show("turn");
    $("turn-role").textContent = " — hop " + v.hop + ", " + v.role;
    const text = $("text");
    const saved = localStorage.getItem(draftKey(v.hop));
    if (saved !== null && text.dataset.hop !== String(v.hop)) text.value = saved;
    text.dataset.hop = String(v.hop);
    text.maxLength = v.max_chars;
    count();
    if (v.heard && flash.hop !== v.hop) {
      flash = { hop: v.hop, end: Date.now() + v.flash_ms, timer: null, total: v.flash_ms };
      $("heard").textContent = v.heard;
      $("heard-box").hidden = false;
      $("gone-note").hidden = true;
      tick();
    } else if (!v.heard && flash.hop !== v.hop) {
      // the flash was over before this phone saw it (it slept, or reloaded)
      flash = { hop: v.hop, end: 0, timer: null };
      hideHeard();
    }
  }

  function tick() {
    const left = flash.end - Date.now();
    if (left <= 0) return hideHeard();
    $("countdown").style.width = Math.max(0, (100 * left) / flash.total) + "%";
    flash.timer = setTimeout(tick, 100);
  }

  function hideHeard() {
    if (flash.timer) clearTimeout(flash.timer);
    flash.timer = null;
    $("heard").textContent = "";
    $("heard-box").hidden = true;
    $("gone-note").hidden = false;
    $("text").focus();
  }

  function stopFlash() {
    if (flash.timer) clearTimeout(flash.timer);
    flash = { hop: null, end: 0, timer: null };
  }

  function count() {
    const text = $("text");
    $("count").textContent = text.value.length + " / " + text.maxLength;
  }

  $("join-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = $("name").value.trim();
    if (!name) return ($("join-error").textContent = "Type your name first.");
    $("join-error").textContent = "Joining…";
    const data = await post("/join", { name });
    if (data.error) return ($("join-error").textContent = data.error);
    $("join-error").textContent = "";
    key = data.key;
    localStorage.setItem(store + ":key", key);
    connect();
  });

  $("text").addEventListener("input", () => {
    if (view && view.hop) localStorage.setItem(draftKey(view.hop), $("text").value);
    count();
  });

  $("pass-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("text").value.trim();
    if (!text) return ($("pass-error").textContent = "Type what you pass on first.");
    const hop = view && view.hop;
    $("send").disabled = true;
    $("pass-error").textContent = "Sending…";
    const data = await post("/pass", { key, hop, text });
    $("send").disabled = false;
    if (data.error) return ($("pass-error").textContent = data.error);
    $("pass-error").textContent = "";
    localStorage.removeItem(draftKey(hop));
    $("text").value = "";
  });

  if (key) {
    connect();
  } else {
    show("join");
    $("conn").textContent = "";
    $("name").focus();
  }
})();

// drift room, the projector's screen: the chain as it grows, team by team, driven from the
// keyboard. Everything comes from the server's view; text is set with textContent only and
// the curve is drawn as SVG elements, so nothing a player types can become markup.
"use strict";
(function () {
  const base = document.body.dataset.base;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  let view = null;
  // the seats, shown during the game too when the facilitator presses P
  let seatsOpen = false;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function pct(x) {
    return Math.round(100 * x) + "%";
  }

  async function act(body) {
    try {
      const r = await fetch(base + "/act", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const data = await r.json().catch(() => ({}));
      if (data.error) $("state").textContent = data.error;
    } catch (e) {
      $("state").textContent = "No connection to the room.";
    }
  }

  function who(name) {
    return name === null || name === undefined ? "bot" : name;
  }

  function render(v) {
    view = v;
    $("scenario").textContent = v.scenario;
    $("join").textContent = v.join;
    $("code").textContent = v.code;
    $("who").textContent = v.who ? v.who + " said" : "The customer said";
    $("said").textContent = v.customer === null ? "… hidden until the chain is revealed: only hop 1 hears it" : v.customer;
    $("said").classList.toggle("hidden-words", v.customer === null);
    document.body.classList.toggle("started", v.started);
    document.body.classList.toggle("teams-many", v.teams.length > 1);
    const teams = $("teams");
    teams.replaceChildren(...v.teams.map((t, i) => team(v, t, i + 1)));
    let state;
    if (!v.started) {
      const n = v.teams.reduce((s, t) => s + t.players.length, 0);
      state = n + (n === 1 ? " player" : " players") + " joined. Press S to start.";
    } else if (v.finished && v.shown < v.played) {
      state = "The chain is finished. Press → to reveal hop " + (v.shown + 1) + ".";
    } else if (v.finished && v.teams.length > 1) {
      // the teams compared: how much of the customer's meaning each final message kept
      const kept = v.teams.map((t) => [t.name, t.curve[t.curve.length - 1]]);
      const best = kept.reduce((a, b) => (b[1] > a[1] ? b : a));
      state = kept.map(([n, s]) => n + " kept " + pct(s)).join(" · ") + " of the customer's meaning (unrelated text: " + pct(v.chance) + "): " + best[0] + " stayed closest.";
    } else if (v.finished) {
      state = "The chain is finished.";
    } else if (v.shown < v.played) {
      state = v.played - v.shown + " played hop(s) to reveal: press →.";
    } else if (seatsOpen) {
      state = "The seats: pick who plays each hop still to play. P closes them.";
    } else {
      state = "Playing…";
    }
    $("state").textContent = state;
    $("out").textContent = "saved in " + v.out + (v.problem ? " — " + v.problem : "");
    for (const list of document.querySelectorAll(".hops")) list.scrollTop = list.scrollHeight;
  }

  function team(v, t, number) {
    const col = el("section", "team");
    const head = el("h2", null, t.name);
    head.append(el("span", "muted", " · " + t.players.length + (t.players.length === 1 ? " player" : " players")));
    col.append(head);
    if (!v.started || seatsOpen) {
      col.append(seats(t, number));
      return col;
    }
    col.append(progress(t));
    if (t.turn) {
      const w = el("p", "turn");
      w.append("Waiting for ", el("b", null, who(t.turn.by)), " (hop " + t.turn.hop + ", " + t.turn.role + ")");
      if (t.turn.by !== null && !t.turn.connected) w.append(el("span", "away", " — phone away"));
      col.append(w);
    }
    const hops = el("ol", "hops");
    for (const h of t.hops) hops.append(hop(v, h));
    const side = el("div", "side");
    if (t.curve.length > 1) side.append(curve(v, t));
    if (t.last !== null) side.append(ending(v, t));
    const body = el("div", "body");
    body.append(hops);
    if (side.childElementCount) body.append(side);
    col.append(body);
    return col;
  }

  function seats(t, number) {
    const list = el("ol", "seats");
    for (const s of t.seats) {
      const row = el("li");
      row.append(el("span", "seat-role", s.hop + ". " + s.role));
      const pick = el("select");
      pick.setAttribute("aria-label", "who plays hop " + s.hop);
      pick.disabled = s.done;
      const bot = el("option", null, "bot");
      bot.value = "";
      pick.append(bot);
      for (const p of t.players) {
        const o = el("option", null, p.name + (p.seat && p.seat !== s.hop ? " (hop " + p.seat + ")" : ""));
        o.value = String(p.id);
        if (s.player === p.id) o.selected = true;
        pick.append(o);
      }
      pick.addEventListener("change", () => {
        if (pick.value) act({ do: "seat", team: number, player: Number(pick.value), hop: s.hop });
        else if (s.player !== null) act({ do: "unseat", team: number, player: s.player });
      });
      row.append(pick);
      if (s.player !== null) row.append(el("span", s.connected ? "dot on" : "dot", s.connected ? "●" : "○"));
      list.append(row);
    }
    return list;
  }

  function progress(t) {
    const bar = el("ol", "progress");
    for (const s of t.seats) {
      const cls = s.done ? "done" : t.turn && t.turn.hop === s.hop ? "now" : "";
      const li = el("li", cls, who(s.by));
      li.title = s.hop + ". " + s.role;
      bar.append(li);
    }
    return bar;
  }

  function hop(v, h) {
    const li = el("li", "hop");
    const head = el("div", "hop-head");
    head.append(el("span", "hop-n", String(h.hop)), el("span", "hop-role", h.role), el("span", h.by === null ? "by bot" : "by person", who(h.by)));
    const score = el("span", "score", pct(h.score));
    head.append(score);
    li.append(head);
    const meter = el("div", "meter");
    const fill = el("span", "fill");
    fill.style.width = pct(Math.max(0, Math.min(1, h.score)));
    const chance = el("span", "chance");
    chance.style.left = pct(v.chance);
    meter.append(fill, chance);
    li.append(meter);
    const words = el("p", "words");
    for (const [kind, text] of h.diff) words.append(kind === "same" ? document.createTextNode(text) : el(kind, null, text));
    li.append(words);
    return li;
  }

  function curve(v, t) {
    const w = 600, h = 150, pad = 8;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("class", "curve");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", v.metric + " after each hop");
    const n = Math.max(v.chain, 1);
    const x = (i) => pad + ((w - 2 * pad) * i) / n;
    const y = (s) => pad + (h - 2 * pad) * (1 - Math.max(0, Math.min(1, s)));
    const chance = document.createElementNS(SVG, "line");
    chance.setAttribute("x1", x(0));
    chance.setAttribute("x2", x(n));
    chance.setAttribute("y1", y(v.chance));
    chance.setAttribute("y2", y(v.chance));
    chance.setAttribute("class", "chance-line");
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", t.curve.map((s, i) => x(i) + "," + y(s)).join(" "));
    line.setAttribute("class", "line");
    svg.append(chance, line);
    t.curve.forEach((s, i) => {
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", x(i));
      c.setAttribute("cy", y(s));
      c.setAttribute("r", 5);
      svg.append(c);
    });
    const box = el("figure", "curve-box");
    box.append(svg, el("figcaption", "muted", v.metric + " after each hop; dashed: unrelated text (" + pct(v.chance) + ")"));
    return box;
  }

  function ending(v, t) {
    const box = el("div", "ending");
    box.append(el("p", "label", "The campaign says"), el("blockquote", "final", t.last));
    if (t.costliest) {
      const c = t.costliest;
      box.append(el("p", "costliest", "Costliest hop: " + c.hop + ". " + c.role + " (" + who(c.by) + "), −" + Math.round(100 * c.cost) + " points"));
    }
    if (t.report) {
      const a = el("a", "report", "Open the report");
      a.href = t.report;
      a.target = "_blank";
      a.rel = "noopener";
      box.append(a);
    } else if (v.finished) {
      box.append(el("p", "muted", "Writing the report…"));
    }
    return box;
  }

  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key;
    if (k === "s" || k === "S") act({ do: "start" });
    else if (k === "ArrowRight" || k === " " || k === "PageDown" || k === "Enter") act({ do: "next" });
    else if (k === "ArrowLeft" || k === "PageUp" || k === "Backspace") act({ do: "back" });
    else if (k === "r" || k === "R") act({ do: "restart" });
    else if (k === "b" || k === "B") act({ do: "bot" });
    else if (k === "p" || k === "P") {
      seatsOpen = !seatsOpen;
      if (view) render(view);
    }
    else if (k === "f" || k === "F") {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(() => {});
    } else return;
    e.preventDefault();
  });

  const source = new EventSource(base + "/events");
  source.onmessage = (e) => render(JSON.parse(e.data));
  source.onerror = () => { $("state").textContent = "Reconnecting to the room…"; };
})();

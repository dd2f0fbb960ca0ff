// vmcoach report page: a word click seeks the player, the word being said
// lights up, the timeline follows. No network, no libraries.
// `?selftest` runs a click-and-seek check and writes the outcome into the
// page (a `pre#selftest` element) for the headless-browser test.
(function () {
  "use strict";
  var errors = [];
  var selftest = /(^|[?&])selftest\b/.test(location.search);
  if (selftest) {
    window.addEventListener("error", function (e) { errors.push("error: " + e.message); });
    window.addEventListener("unhandledrejection", function (e) { errors.push("rejection: " + e.reason); });
    document.addEventListener("securitypolicyviolation", function (e) { errors.push("csp: " + e.violatedDirective + " " + e.blockedURI); });
    var consoleError = console.error;
    console.error = function () {
      errors.push("console: " + Array.prototype.join.call(arguments, " "));
      return consoleError.apply(console, arguments);
    };
  }

  var player = document.getElementById("player");
  var timeline = document.getElementById("timeline");
  var playhead = document.getElementById("playhead");
  var words = Array.prototype.slice.call(document.querySelectorAll(".w[data-s]"));
  var starts = words.map(function (w) { return parseFloat(w.getAttribute("data-s")); });
  var ends = words.map(function (w) { return parseFloat(w.getAttribute("data-e")); });
  var duration = timeline ? parseFloat(timeline.getAttribute("data-d")) : NaN;
  var current = null;

  // The word being said at `t`: the last that started, while it lasts (and
  // through the short gap after it).
  function wordAt(t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t <= ends[found] + 0.15 ? words[found] : null;
  }

  function show(t) {
    var w = wordAt(t);
    if (w !== current) {
      if (current) current.classList.remove("now");
      if (w) w.classList.add("now");
      current = w;
    }
    if (playhead && duration > 0) {
      playhead.style.left = Math.min(100, Math.max(0, t / duration * 100)) + "%";
    }
  }

  function seek(t, play) {
    if (!isFinite(t)) return;
    if (player) {
      player.currentTime = t;
      if (play) {
        var p = player.play();
        if (p && p.catch) p.catch(function () {});
      }
    }
    show(t);
  }

  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-s]") : null;
    if (el) {
      e.preventDefault();
      seek(parseFloat(el.getAttribute("data-s")), true);
      return;
    }
    if (timeline && duration > 0 && !(e.target.closest && e.target.closest("a")) && timeline.contains(e.target)) {
      var box = timeline.getBoundingClientRect();
      seek((e.clientX - box.left) / box.width * duration, true);
    }
  });

  if (player) {
    var frame = function () {
      show(player.currentTime);
      if (!player.paused) requestAnimationFrame(frame);
    };
    player.addEventListener("play", function () { requestAnimationFrame(frame); });
    player.addEventListener("timeupdate", function () { show(player.currentTime); });
    player.addEventListener("seeked", function () { show(player.currentTime); });
    player.addEventListener("error", function () {
      var note = document.getElementById("playerror");
      if (note) note.hidden = false;
      if (selftest) errors.push("media: cannot play the recording");
    });
  }

  if (selftest) runSelftest();

  function runSelftest() {
    var out = document.createElement("pre");
    out.id = "selftest";
    document.body.appendChild(out);
    var need = {
      player: "#player",
      waveform: "#timeline svg.wave path.env",
      pitch: "#timeline svg.pitch path",
      numbers: "#timeline .mark",
      findingLinks: "#transcript a.ref[href^='#f-']",
      fixes: "#fixes",
      breakdown: "#score .breakdown",
      delivery: "#delivery table"
    };
    var missing = Object.keys(need).filter(function (k) { return !document.querySelector(need[k]); });
    var linksOk = Array.prototype.every.call(document.querySelectorAll("a[href^='#']"), function (a) {
      return document.getElementById(a.getAttribute("href").slice(1)) !== null;
    });
    var waited = 0;
    (function whenReady() {
      if (player && player.readyState < 1 && waited < 5000) {
        waited += 50;
        setTimeout(whenReady, 50);
        return;
      }
      var w = words[Math.floor(words.length / 2)];
      var want = w ? parseFloat(w.getAttribute("data-s")) : NaN;
      if (w) w.click();
      // Read at once: the click may also have started playback.
      var got = player ? player.currentTime : NaN;
      var seekOk = !!w && Math.abs(got - want) < 0.05;
      var nowOk = !!w && w.classList.contains("now");
      if (player) player.pause();
      // Then give late errors (media, policy) time to arrive.
      setTimeout(function () {
        var ready = player ? player.readyState : -1;
        var pass = seekOk && nowOk && ready >= 1 && linksOk && missing.length === 0 && errors.length === 0;
        out.textContent = [
          "result=" + (pass ? "pass" : "fail"),
          "ready=" + ready,
          "media-duration=" + (player ? player.duration : NaN),
          "seek=" + want + "->" + got + (seekOk ? " ok" : " WRONG"),
          "now=" + (nowOk ? "yes" : "no") + " word=" + (w ? w.textContent : "none"),
          "links=" + (linksOk ? "ok" : "broken"),
          "missing=" + missing.join(","),
          "errors=" + errors.join(" | ")
        ].join("\n");
      }, 300);
    })();
  }
})();

"""Live reload for `handbook serve`: the open page reloads itself after a rebuild, and a
broken save shows its problems in the page until it is fixed.

The server (not the build) adds one script tag to every HTML page it serves, so the built
site stays as it is published. The script asks `/__handbook__/state?after=N`; the server
answers as soon as the build state differs from N (a long poll, so a change shows within
milliseconds of the build, without polling traffic), or after POLL_SECONDS with no change.
"""

from __future__ import annotations

import json
import threading

PREFIX = "/__handbook__/"
POLL_SECONDS = 25.0

SCRIPT = """\
(function () {
  "use strict";
  var generation = null, serial = "";
  function show(problems) {
    var box = document.getElementById("hb-live-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "hb-live-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:1000;max-height:50vh;" +
        "overflow:auto;background:#fff0f0;color:#8a0000;border-bottom:3px solid #b00020;" +
        "padding:.8em 1em;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "保存的文件有错误，网页仍显示上一次成功的版本：\\n\\n" + problems.join("\\n");
  }
  function ask() {
    fetch("/__handbook__/state?after=" + serial, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (generation !== null && state.generation !== generation) { location.reload(); return; }
        generation = state.generation;
        serial = String(state.serial);
        show(state.problems);
        ask();
      })
      .catch(function () { setTimeout(ask, 1000); });  /* the server restarts: try again */
  }
  ask();
})();
"""

TAG = f'<script src="{PREFIX}live.js"></script>'.encode()


class BuildState:
    """The site's generation (one more after each successful site build) and the problems
    of the last failed build; `serial` counts every change, and waiters are woken by each."""

    def __init__(self) -> None:
        self.generation = 0
        self.serial = 0
        self.problems: list[str] = []
        self._changed = threading.Condition()

    def built(self) -> None:
        """A site build succeeded: pages reload, problems go."""
        with self._changed:
            self.generation += 1
            self.serial += 1
            self.problems = []
            self._changed.notify_all()

    def failed(self, problems: list[str]) -> None:
        """A build failed: the open pages show why (the last good site stays served)."""
        with self._changed:
            self.problems = list(problems)
            self.serial += 1
            self._changed.notify_all()

    def wait(self, seen: str, timeout: float = POLL_SECONDS) -> bytes:
        """The state as JSON once its serial differs from `seen` (or after timeout); at
        once when `seen` is empty (a page just loaded)."""
        with self._changed:
            if seen:
                self._changed.wait_for(lambda: str(self.serial) != seen, timeout)
            body = {"generation": self.generation, "serial": self.serial,
                    "problems": self.problems}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


def with_script(html: bytes) -> bytes:
    """The page with the live-reload script before </body> (or at its end)."""
    at = html.rfind(b"</body>")
    return html[:at] + TAG + html[at:] if at >= 0 else html + TAG

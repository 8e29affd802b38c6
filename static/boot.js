// Boot progress and failure reporting. A classic script: it runs before PyScript loads,
// watches the runtime's downloads through fetch, and gives Python `window.lkBoot`.
(() => {
  "use strict";
  const STAGES = ["runtime", "packages", "database", "screen"];
  // Share of the progress bar each stage ends at.
  const ENDS = { runtime: 70, packages: 88, database: 94, screen: 100 };
  const html = document.documentElement;
  const marks = {};
  let current = null;
  let failed = false;
  const bytes = { loaded: 0, total: 0 };

  const $ = (id) => document.getElementById(id);

  function setProgress(value) {
    const bar = $("boot-progress");
    if (bar) { bar.value = value; bar.textContent = `${Math.round(value)}%`; }
  }

  function stage(name) {
    if (failed || !STAGES.includes(name)) return;
    const index = STAGES.indexOf(name);
    if (current !== null && STAGES.indexOf(current) >= index) return;
    current = name;
    marks[name] = performance.now();  // ms since navigation start
    html.dataset.bootStage = name;
    for (const li of document.querySelectorAll("#boot-stages li")) {
      const i = STAGES.indexOf(li.dataset.stage);
      li.dataset.state = i < index ? "done" : i === index ? "active" : "pending";
    }
    setProgress(index === 0 ? 0 : ENDS[STAGES[index - 1]]);
  }

  // The first failure is the cause; later ones are its echoes and are only logged.
  function fail(message, detail) {
    if (failed || html.dataset.ready === "true") { console.error(message, detail || ""); return; }
    failed = true;
    console.error("Lorekeeper boot failed:", message, detail || "");
    const show = () => {
      html.dataset.boot = "failed";
      $("boot-error-message").textContent = String(message);
      $("boot-error-detail").textContent = detail ? String(detail) : "";
    };
    if ($("boot-error-message")) show();
    else document.addEventListener("DOMContentLoaded", show);
  }

  function ready() {
    if (failed) return;
    marks.ready = performance.now();
    for (const li of document.querySelectorAll("#boot-stages li")) li.dataset.state = "done";
    setProgress(100);
    html.dataset.ready = "true";
    document.dispatchEvent(new CustomEvent("lorekeeper:ready", { detail: { ...marks } }));
  }

  window.lkBoot = { stage, fail, ready, marks, bytes };

  // Before anything loads: the platform must have what Lorekeeper needs.
  if (typeof WebAssembly !== "object") {
    fail("This browser cannot run WebAssembly (it may be disabled by a policy or an extension).",
         "Lorekeeper runs Python in the browser and needs WebAssembly.");
    return;
  }
  if (!window.indexedDB) {
    fail("This browser does not offer IndexedDB storage (private mode or a storage policy may block it).",
         "Lorekeeper keeps your library in IndexedDB.");
    return;
  }

  // Watch the runtime's downloads: progress from the bytes, a clear error for a missing file.
  const realFetch = window.fetch.bind(window);
  const WATCHED = /\.(wasm|zip|whl|json)(\?|$)/;
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : (input && input.url) || String(input);
    if (!WATCHED.test(url) || html.dataset.ready === "true") return realFetch(input, init);
    if (/\.whl(\?|$)/.test(url)) stage("packages");
    let response;
    try {
      response = await realFetch(input, init);
    } catch (error) {
      // Find out why: a missing file and a damaged one (integrity check) read differently.
      const name = url.split("/").pop().split("?")[0];
      let status = 0;
      try { status = (await realFetch(url, { method: "HEAD", cache: "no-store" })).status; } catch {}
      if (status >= 400) {
        fail(`A required file is missing: ${name} (HTTP ${status}).`, url);
      } else if (status) {
        fail(`${name} does not match its expected checksum: it is damaged or from another release.`,
             String(error));
      } else {
        fail(`Could not download ${name}: the network request failed.`, String(error));
      }
      throw error;
    }
    if (!response.ok) {
      fail(`A required file is missing: ${url.split("/").pop()} (HTTP ${response.status}).`, url);
      return response;
    }
    // Count bytes on a clone: the original response keeps its identity, so the browser can
    // still stream-compile the wasm and reuse its code cache on later loads.
    const total = Number(response.headers.get("content-length")) || 0;
    if (!response.body || !total) return response;
    bytes.total += total;
    const reader = response.clone().body.getReader();
    const count = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        bytes.loaded += value.byteLength;
        const from = current === "packages" ? ENDS.runtime : 0;
        const to = current === "packages" ? ENDS.packages : ENDS.runtime;
        setProgress(from + (to - from) * Math.min(1, bytes.loaded / bytes.total));
      }
    };
    count().catch(() => {});
    return response;
  };

  window.addEventListener("error", (event) => {
    if (html.dataset.ready === "true") return;
    const target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      fail(`A required file could not be loaded: ${(target.src || target.href).split("/").pop()}.`,
           target.src || target.href);
    } else if (event.message) {
      fail(event.message, event.error && event.error.stack);
    }
  }, true);
  window.addEventListener("unhandledrejection", (event) => {
    if (html.dataset.ready === "true") return;
    const reason = event.reason;
    fail(reason && reason.message ? reason.message : String(reason), reason && reason.stack);
  });

  document.addEventListener("DOMContentLoaded", () => stage("runtime"));

  // Offline: a service worker precaches the whole site (see sw.js).
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("./sw.js").catch((error) => {
        console.warn("Service worker registration failed; offline use is unavailable.", error);
      });
    });
  }
})();

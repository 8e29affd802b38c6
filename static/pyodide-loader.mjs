// Pyodide for PyScript, restored from a memory snapshot when one is cached.
//
// PyScript imports this module as its interpreter (pyscript.toml) and calls loadPyodide.
// Starting Python costs ~1.6 s on every load; restoring a snapshot of an interpreter taken
// right after its start costs ~0.2 s. The first visit starts Python normally and, once the
// app is ready, a worker starts a second interpreter off the main thread, snapshots it
// (before any package or page object is involved, so nothing in it depends on a page)
// and keeps it in Cache Storage, keyed by Pyodide's version. Later loads restore it; a
// snapshot that fails to restore is dropped and Python starts normally.
import { loadPyodide as load, version } from "./vendor/pyodide/pyodide.mjs";
import { INDEX_URL, SNAPSHOT_CACHE, SNAPSHOT_KEY } from "./snapshot-key.mjs";

export { version };

const hasCaches = typeof caches !== "undefined";

async function cachedSnapshot() {
  if (!hasCaches) return null;
  try {
    const response = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_KEY);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

function snapshotLater() {
  if (!hasCaches || typeof Worker === "undefined") return;
  const start = () => setTimeout(() => {
    const worker = new Worker(new URL("./snapshot-worker.mjs", import.meta.url), { type: "module" });
    worker.onmessage = (event) => {
      worker.terminate();
      window.lkBoot && (window.lkBoot.snapshot = event.data);
      document.dispatchEvent(new CustomEvent("lorekeeper:snapshot", { detail: event.data }));
    };
  }, 0);
  if (document.documentElement.dataset.ready === "true") start();
  else document.addEventListener("lorekeeper:ready", start, { once: true });
}

export async function loadPyodide(options = {}) {
  const { packages, stdout, stderr, indexURL: _ignored, ...rest } = options;
  const base = { ...rest, indexURL: INDEX_URL, stdout, stderr };
  let pyodide = null;
  const snapshot = await cachedSnapshot();
  if (snapshot) {
    try {
      pyodide = await load({ ...base, _loadSnapshot: snapshot });
      if (window.lkBoot) window.lkBoot.restored = true;
    } catch (error) {
      console.warn("Lorekeeper: interpreter snapshot not usable, starting normally", error);
      await caches.delete(SNAPSHOT_CACHE).catch(() => {});
    }
  }
  if (pyodide === null) {
    // Packages passed here download while the interpreter starts.
    pyodide = await load({ ...base, packages });
    snapshotLater();
  } else if (packages && packages.length) {
    await pyodide.loadPackage(packages, { messageCallback: () => {} });
  }
  return pyodide;
}

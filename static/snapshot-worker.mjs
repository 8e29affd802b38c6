// Takes a memory snapshot of a freshly started Pyodide and keeps it in Cache Storage, off
// the main thread, after the first visit has finished booting (see pyodide-loader.mjs).
import { loadPyodide, version } from "./vendor/pyodide/pyodide.mjs";
import { SNAPSHOT_CACHE, SNAPSHOT_KEY, INDEX_URL } from "./snapshot-key.mjs";

try {
  const pyodide = await loadPyodide({ indexURL: INDEX_URL, _makeSnapshot: true });
  const snapshot = pyodide.makeMemorySnapshot();
  for (const name of await caches.keys()) {
    if (name.startsWith("lk-snapshot-") && name !== SNAPSHOT_CACHE) await caches.delete(name);
  }
  await (await caches.open(SNAPSHOT_CACHE)).put(SNAPSHOT_KEY, new Response(snapshot));
  postMessage({ ok: true, version, bytes: snapshot.byteLength });
} catch (error) {
  postMessage({ ok: false, error: String(error) });
}

"""The JavaScript side of the benchmark: raw IndexedDB and Dexie, same data and steps."""

# Defines window.__bench = { raw: {...}, dexie: {...} }; each op returns elapsed ms.
BENCH_JS = r"""
async (dexieUrl) => {
  const { default: Dexie } = await import(dexieUrl);
  const rec = (i) => ({ id: i, n: i, cat: i % 100, name: "name" + i, v: i * 0.5 });
  const records = (lo, hi) => { const a = []; for (let i = lo; i < hi; i++) a.push(rec(i)); return a; };
  const now = () => performance.now();
  const reqP = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const txDone = (tx) => new Promise((res, rej) => { tx.oncomplete = res; tx.onabort = tx.onerror = () => rej(tx.error); });

  // ---------------------------------------------------------------- raw IndexedDB
  async function rawOpen(name) {
    await reqP(indexedDB.deleteDatabase(name));
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      for (const t of ["small", "big"]) {
        const s = r.result.createObjectStore(t, { keyPath: "id" });
        s.createIndex("n", "n"); s.createIndex("cat", "cat");
      }
    };
    return await reqP(r);
  }
  async function rawBulkPut(db, store, recs) {
    const tx = db.transaction(store, "readwrite");
    const s = tx.objectStore(store);
    for (const r of recs) s.put(r);
    await txDone(tx);
  }
  const raw = {
    db: null,
    async setup() {
      this.db = await rawOpen("bench-raw");
      await rawBulkPut(this.db, "big", records(0, 100000));
    },
    async bulk_put(recs) {
      const tx = this.db.transaction("small", "readwrite"); tx.objectStore("small").clear(); await txDone(tx);
      const t = now(); await rawBulkPut(this.db, "small", recs); return now() - t;
    },
    async range_read() {
      const t = now();
      const tx = this.db.transaction("big", "readonly");
      const res = await reqP(tx.objectStore("big").index("n").getAll(IDBKeyRange.bound(20000, 30000, false, true)));
      const ms = now() - t; if (res.length !== 10000) throw new Error("raw range " + res.length); return ms;
    },
    async where_equals() {
      const t = now();
      const tx = this.db.transaction("big", "readonly");
      const res = await reqP(tx.objectStore("big").index("cat").getAll(7));
      const ms = now() - t; if (res.length !== 1000) throw new Error("raw eq " + res.length); return ms;
    },
    async tx_loop() {
      const t = now();
      const tx = this.db.transaction("small", "readwrite");
      const s = tx.objectStore("small");
      for (let i = 0; i < 1000; i++) {
        const v = await reqP(s.get(i));
        v.v += 1;
        await reqP(s.put(v));
      }
      await txDone(tx);
      return now() - t;
    },
    async single_gets() {
      const t = now();
      for (let i = 0; i < 1000; i++) {
        const tx = this.db.transaction("small", "readonly");
        await reqP(tx.objectStore("small").get(i));
      }
      return now() - t;
    },
    async count() {
      const t = now();
      const c = await reqP(this.db.transaction("big", "readonly").objectStore("big").count());
      const ms = now() - t; if (c !== 100000) throw new Error("raw count"); return ms;
    },
    async modify() {
      const t = now();
      const tx = this.db.transaction("small", "readwrite");
      const s = tx.objectStore("small");
      const all = await reqP(s.getAll());
      for (const v of all) { v.flag = (v.flag || 0) + 1; s.put(v); }
      await txDone(tx);
      return now() - t;
    },
  };

  // ---------------------------------------------------------------- Dexie
  const dexie = {
    db: null,
    async setup() {
      await Dexie.delete("bench-dexie");
      this.db = new Dexie("bench-dexie");
      this.db.version(1).stores({ small: "id, n, cat", big: "id, n, cat" });
      await this.db.open();
      await this.db.big.bulkPut(records(0, 100000));
    },
    async bulk_put(recs) {
      await this.db.small.clear();
      const t = now(); await this.db.small.bulkPut(recs); return now() - t;
    },
    async range_read() {
      const t = now();
      const res = await this.db.big.where("n").between(20000, 30000).toArray();
      const ms = now() - t; if (res.length !== 10000) throw new Error("dexie range"); return ms;
    },
    async where_equals() {
      const t = now();
      const res = await this.db.big.where("cat").equals(7).toArray();
      const ms = now() - t; if (res.length !== 1000) throw new Error("dexie eq"); return ms;
    },
    async tx_loop() {
      const t = now();
      const db = this.db;
      await db.transaction("rw", db.small, async () => {
        for (let i = 0; i < 1000; i++) {
          const v = await db.small.get(i);
          v.v += 1;
          await db.small.put(v);
        }
      });
      return now() - t;
    },
    async single_gets() {
      const t = now();
      for (let i = 0; i < 1000; i++) await this.db.small.get(i);
      return now() - t;
    },
    async count() {
      const t = now();
      const c = await this.db.big.count();
      const ms = now() - t; if (c !== 100000) throw new Error("dexie count"); return ms;
    },
    async modify() {
      const t = now();
      await this.db.small.toCollection().modify((v) => { v.flag = (v.flag || 0) + 1; });
      return now() - t;
    },
  };
  window.__bench = { raw, dexie, records };
  await raw.setup();
  await dexie.setup();
  return true;
}
"""

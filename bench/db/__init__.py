"""Benchmark: raw IndexedDB vs Dexie.js vs app.db in one headless Chromium page."""

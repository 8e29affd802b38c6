"""``./lk bench sync``: 10,000 changes A → server → B, push throughput, a browser's first sync."""

"""The Zalo Bot Platform channel: a small httpx client of our own, polling or webhook."""

"""Sending confirmed profiles to the Ministry of Home Affairs (BNV) portal.

- payload.py: a confirmed version (ProfileVersion.data) as the documented JSON, and its validation.
- outbox.py: the queue: enqueue idempotently, claim with a lease, record each outcome.
- batches.py: a leader's "Đồng bộ lên cổng BNV" request: scope, SyncBatch and outbox rows together.
- status.py: each profile's sync state, as SQL the list can filter and page on.
- client.py: the HTTP client (standard library only).
- worker.py: the send loop (`flask --app app sync run`): retries, backoff, dead letters.
- fake_portal.py: a stand-in portal for demos and tests.

The protocol and the JSON schema are documented in docs/bnv_sync.md.
"""

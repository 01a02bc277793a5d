"""The web server's side of the event path, for the overhead benchmark: a process that stores what runs deliver.

A training process sends its events up a pipe; the web server's executor stores
them with ``EventRelay``. This process does the same, so the benchmark's loop pays
for delivery, and shares the machine with the storing, as a run on the site does.
"""
from __future__ import annotations

import os
from pathlib import Path


class StoreProcess:
    """The web server's side of the event path: a process that stores what runs deliver, as the local executor does."""

    def start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=store_delivered_events, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.conn.recv()  # ready: its start-up is not in anyone's round

    def deliver(self, run_id: int, texts: list[str]) -> None:
        self.conn.send(("events", run_id, texts))

    def cpu_seconds(self) -> float:
        """User and system CPU seconds the store process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def store_delivered_events(conn) -> None:
    """Store every batch that arrives, several runs' at once, through the executor's own EventRelay."""
    from multiprocessing.connection import wait

    import django

    django.setup()
    from playground.runs.relay import EventRelay

    relay = EventRelay()
    conn.send("ready")
    while True:
        wait([conn])
        try:
            while conn.poll():
                _, run_id, texts = conn.recv()
                relay.add(run_id, texts)
        except EOFError:
            relay.flush()
            return
        relay.flush()

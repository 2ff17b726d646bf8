"""Prometheus metrics for `GET /metrics`: one registry per process, nothing global."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "dccs_updates_total", "Channel updates handled.", ["channel"], registry=self.registry
        )
        self.latency = Histogram(
            "dccs_dispatch_seconds",
            "Time to handle one update, from receipt to replies.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "dccs_errors_total", "Unhandled errors by kind.", ["kind"], registry=self.registry
        )
        self.pushes = Counter(
            "dccs_pushes_total",
            "Outbox sends by channel and outcome.",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.outbox_depth = Gauge(
            "dccs_outbox_depth", "Pushes waiting to be sent.", registry=self.registry
        )
        self.outbox_age = Gauge(
            "dccs_outbox_oldest_seconds",
            "Age of the oldest push waiting to be sent.",
            registry=self.registry,
        )
        self.inbox_pending = Gauge(
            "dccs_inbox_pending", "Updates stored but not yet processed.", registry=self.registry
        )
        self.inbox_failed = Gauge(
            "dccs_inbox_failed",
            "Updates set aside after failing again and again (`dccs inbox failed`).",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

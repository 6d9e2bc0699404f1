"""The national pay benchmark a role's salary is checked against.

The national peer-worker survey publishes a benchmark once a wave closes; until the
surveys capability provides one, the figure comes from the setting
``PEERWORK_PAY_BENCHMARK_NOK`` (unset: no benchmark, and the pay check stays silent).
The surveys capability can replace :func:`national_pay_benchmark` without touching the
checks, which take the figure as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PayBenchmark:
    annual_nok: int
    source: str  # where the figure was published, e.g. "Peer worker survey 2027"


def national_pay_benchmark() -> PayBenchmark | None:
    """The latest published national benchmark for annual pay, or None."""
    figure = getattr(settings, "PEERWORK_PAY_BENCHMARK_NOK", None)
    if not figure:
        return None
    return PayBenchmark(annual_nok=int(figure),
                        source=str(getattr(settings, "PEERWORK_PAY_BENCHMARK_SOURCE", "")))

"""Forecast scoring: Brier scores of the op-ed's predictions and simple reference forecasters."""

from __future__ import annotations

from dataclasses import dataclass


def brier(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (probability - outcome)^2 over (probability, outcome) pairs; None if empty."""
    if not pairs:
        return None
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs)


@dataclass
class Score:
    """The op-ed's Brier score beside an always-50% and a base-rate forecaster."""

    n: int
    oped: float | None
    always_half: float | None
    base_rate: float | None
    base_rate_brier: float | None


def score(pairs: list[tuple[float, float]]) -> Score:
    outcomes = [o for _, o in pairs]
    rate = sum(outcomes) / len(outcomes) if outcomes else None
    return Score(
        n=len(pairs),
        oped=brier(pairs),
        always_half=brier([(0.5, o) for o in outcomes]),
        base_rate=rate,
        base_rate_brier=brier([(rate, o) for o in outcomes]) if outcomes else None,
    )

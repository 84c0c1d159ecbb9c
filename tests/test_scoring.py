"""Brier scores against hand-worked cases."""

import pytest
from opedcheck import scoring


def test_brier_of_hand_worked_cases():
    # (0.95-1)^2 = 0.0025; (0.7-0)^2 = 0.49; (0.4-1)^2 = 0.36 -> mean 0.2841666...
    assert scoring.brier([(0.95, 1), (0.7, 0), (0.4, 1)]) == pytest.approx(0.8525 / 3)
    assert scoring.brier([(1.0, 1), (0.0, 0)]) == 0
    assert scoring.brier([(1.0, 0)]) == 1
    assert scoring.brier([(0.4, 0.5)]) == pytest.approx(0.01)
    assert scoring.brier([]) is None


def test_reference_forecasters():
    result = scoring.score([(0.4, 1), (0.4, 1), (0.75, 0), (1.0, 0.5)])
    assert result.n == 4
    assert result.oped == pytest.approx((0.36 + 0.36 + 0.5625 + 0.25) / 4)
    assert result.always_half == pytest.approx(0.25 * 3 / 4)  # (0.5-0.5)^2 = 0 for the partly outcome
    assert result.base_rate == pytest.approx(2.5 / 4)
    rate = 0.625
    assert result.base_rate_brier == pytest.approx(((rate - 1) ** 2 * 2 + rate ** 2 + (rate - 0.5) ** 2) / 4)


def test_empty_score():
    result = scoring.score([])
    assert (result.n, result.oped, result.always_half, result.base_rate) == (0, None, None, None)

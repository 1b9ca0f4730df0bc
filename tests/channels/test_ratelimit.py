"""The limits a worker sends within: a message costs the calls it makes, and no window of a
second holds more calls than the messenger allows."""

from __future__ import annotations

import pytest

from bot.channels.ratelimit import SlidingWindow, TokenBucket


def test_no_second_holds_more_than_the_window_allows() -> None:
    window = SlidingWindow(29, spread=0.0)
    now, made = 0.0, []
    while now < 5.0:
        wait = window.wait(now, 2)
        now += wait
        window.take(now, 2)
        made += [now, now]
        now += 0.001
    for t in made:
        assert sum(1 for u in made if t <= u < t + 1.0) <= 29


def test_a_message_of_three_calls_waits_for_three_tokens() -> None:
    chat = TokenBucket(rate=1.0, capacity=3)
    chat.take(0.0, 3)
    assert chat.wait(0.5, 3) == 2.5
    assert chat.wait(1.0, 1) == 0.0


def test_later_calls_of_a_message_count_later() -> None:
    window = SlidingWindow(3, spread=0.5)
    window.take(0.0, 3)  # counted at 0.0, 0.5 and 1.0
    assert window.wait(1.2, 1) == 0.0  # the first has left the window
    window.take(1.2, 1)
    assert window.wait(1.2, 1) == pytest.approx(0.3)  # the second leaves at 1.5

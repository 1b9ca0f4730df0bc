"""Test doubles that speak real protocols over real sockets (see `telegram_server`)."""

from tests.fakes.telegram_server import Call, FakeTelegram, Upload

__all__ = ["Call", "FakeTelegram", "Upload"]

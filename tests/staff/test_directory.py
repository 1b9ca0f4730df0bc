"""The staff directory: danvan.yaml's staff found by identity, village and role."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_config
from bot.staff.directory import Directory

ROOT = Path(__file__).resolve().parents[2]


def test_the_sample_configuration_staff() -> None:
    staff = Directory.of_config(load_config(ROOT / "danvan.yaml", env={}))
    tien = staff.who("telegram", "700000103")
    assert tien is not None and tien.name == "Ma Văn Tiến" and tien.key == "cfg:ma_van_tien"
    assert staff.who("terminal", "tien") == tien
    assert staff.who("telegram", "700000999") is None
    assert staff.get(tien.key) == tien
    assert tien.covers("na_khau") and not tien.covers("ban_cay") and not tien.covers(None)
    assert [m.name for m in staff.propagandists_of("ban_cay")] == ["Hoàng Thị Lụa"]
    officials = staff.officials()
    assert [m.name for m in officials] == ["Nông Văn Thành", "Lý Thị Hoa"]
    assert officials[0].covers("pac_ta") and not tien.is_official

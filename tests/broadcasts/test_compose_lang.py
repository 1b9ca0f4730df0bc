"""In a commune with several languages, the desk asks whether a broadcast is for the readers of
one language only, and only they get it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.broadcasts.helpers import seed
from tests.broadcasts.test_compose import NEWS
from tests.channels.drivers import wait_until
from tests.followups.harness import Commune

VI, EN = 14_001, 14_002


async def test_a_broadcast_for_the_readers_of_one_language(tmp_path: Path) -> None:
    commune = Commune(tmp_path / "d.db", staff_on="zalo")
    config = commune.telegram.config
    commune.telegram.config = replace(config, languages=("vi", "en"))
    async with commune:
        app = commune.telegram.app
        await seed(app, range(VI, EN + 1))
        await app.db.transaction(
            lambda conn: conn.execute(
                "UPDATE residents SET lang = 'en' WHERE id = ?", (5_000_000 + EN,)
            )
        )
        await commune.staff_says("thanh", "/broadcast")
        await commune.staff_says("thanh", NEWS)
        asked = await commune.staff_taps("thanh", "Cả xã")
        assert asked[0].startswith("Gửi cho bà con đọc mọi ngôn ngữ")
        await commune.staff_taps("thanh", "English")
        await commune.staff_taps("thanh", "Gửi ngay")
        preview = await commune.staff_taps("thanh", "Không kèm nút")
        assert "Tổng cộng 1 người." in preview[2], preview
        await commune.staff_taps("thanh", "Gửi thông báo này")
        fake = commune.telegram.fake
        await wait_until(lambda: bool(fake.texts(EN)))
        await commune.telegram.drain()
        assert any(NEWS in t for t in fake.texts(EN)) and fake.texts(VI) == []
        audience = commune.telegram.query("SELECT audience FROM broadcasts")
        assert '"lang": "en"' in str(audience[0][0])

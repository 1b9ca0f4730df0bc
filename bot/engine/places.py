"""The commune's offices as flow placeholders: its administrative service centre, its police."""

from __future__ import annotations

from collections.abc import Mapping

# danvan.yaml `centre:` and `police:` keys -> the placeholder each fills in a flow's text.
PLACE_FIELDS = {
    "centre": ("name", "address", "hours", "phone"),
    "police": ("name", "address", "phone"),
}
PLACEHOLDERS = tuple(
    office if key == "name" else f"{office}_{key}"
    for office, keys in PLACE_FIELDS.items()
    for key in keys
)


def defaults(commune: str) -> dict[str, str]:
    """What a flow says when danvan.yaml leaves an office's detail out: true, if vague."""
    ask = "hỏi trưởng thôn"
    return {
        "centre": f"Trung tâm Phục vụ hành chính công xã {commune}",
        "centre_address": ask,
        "centre_hours": "giờ hành chính các ngày làm việc",
        "centre_phone": ask,
        "police": f"Công an xã {commune}",
        "police_address": ask,
        "police_phone": ask,
    }


def place_values(commune: str, configured: Mapping[str, str]) -> dict[str, str]:
    """Every place placeholder's text: the configured one, else the default."""
    return {**defaults(commune), **{k: v for k, v in configured.items() if k in PLACEHOLDERS}}

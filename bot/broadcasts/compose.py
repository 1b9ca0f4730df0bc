"""A broadcast as a resident sees it: their language's text, the signature, the flow's button."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.capabilities import buttons_max
from bot.engine.flow import Media
from bot.engine.texts import BROADCAST_FLOW_HINT, BROADCAST_SIGNATURE
from bot.engine.types import Button, Outbound, Translator
from bot.flows.registry import FlowRegistry

FLOW_PAYLOAD = "flow:{flow_id}"


@dataclass(frozen=True)
class Content:
    """What an official wrote: texts by language (always Vietnamese), media, the flow offered."""

    texts: dict[str, str]
    media: tuple[Media, ...] = ()
    flow_id: str | None = None


class Composer:
    """Builds each recipient's message; the same language and channel give the same message."""

    def __init__(self, content: Content, commune: str, tr: Translator, flows: FlowRegistry) -> None:
        self.content = content
        self.commune = commune
        self.tr = tr
        self.flows = flows
        self._made: dict[tuple[str, bool], Outbound] = {}

    def message(self, lang: str, channel: str) -> Outbound:
        """The message for a resident reading `lang` on `channel`."""
        buttons = buttons_max(channel) > 0 and channel == "telegram"  # OA templates: later
        key = (lang, buttons)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(lang, buttons)
        return made

    def _make(self, lang: str, buttons: bool) -> Outbound:
        text = self.content.texts.get(lang) or self.content.texts["vi"]
        signature = self.tr.ui(lang, BROADCAST_SIGNATURE).replace("{commune}", self.commune)
        parts = [text.strip(), signature]
        title = self._title(lang)
        if title and not buttons:
            parts.append(self.tr.ui(lang, BROADCAST_FLOW_HINT).replace("{title}", title))
        button: tuple[Button, ...] = ()
        if title and buttons:
            button = (Button(title, FLOW_PAYLOAD.format(flow_id=self.content.flow_id)),)
        return Outbound("\n\n".join(parts), buttons=button, media=self.content.media)

    def _title(self, lang: str) -> str:
        flow_id = self.content.flow_id
        flow = self.flows.current(flow_id) if flow_id else None
        if flow is None:
            return ""
        return self.tr.flow(lang, f"{flow.id}.title", flow.title)

"""Every version of every flow the bot has loaded; runs go on in the version they started in."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.flow import Flow


class FlowRegistry:
    """The current flows, and older versions kept for runs that started in them."""

    def __init__(self) -> None:
        self._current: dict[str, Flow] = {}
        self._versions: dict[tuple[str, str], Flow] = {}
        self._menu: list[Flow] = []
        self._givers: dict[str, Flow] = {}

    def replace(self, flows: dict[str, Flow]) -> None:
        """Make these the current flows; versions loaded before stay available."""
        self._current = dict(flows)
        for flow in flows.values():
            self.keep(flow)
        self._menu = sorted(
            (f for f in flows.values() if f.menu), key=lambda f: (self._depth(f, set()), f.id)
        )
        self._givers = {}
        for flow in sorted(flows.values(), key=lambda f: f.id):
            for step in flow.steps:
                if step.milestone:
                    self._givers.setdefault(step.milestone, flow)
        for flow in flows.values():
            if flow.milestone:
                self._givers[flow.milestone] = flow

    def keep(self, flow: Flow) -> None:
        """Remember one version of a flow (e.g. an old one read back from the store)."""
        self._versions[(flow.id, flow.version)] = flow

    def current(self, flow_id: str) -> Flow | None:
        """The newest version of a flow."""
        return self._current.get(flow_id)

    def version(self, flow_id: str, version: str) -> Flow | None:
        """A given version of a flow, if it was loaded."""
        return self._versions.get((flow_id, version))

    def menu(self) -> Sequence[Flow]:
        """The flows offered in the main menu: those with fewer prerequisites first."""
        return self._menu

    def giver(self, milestone: str) -> Flow | None:
        """The flow that gives a milestone."""
        return self._givers.get(milestone)

    def all_current(self) -> list[Flow]:
        """Every current flow."""
        return list(self._current.values())

    def _depth(self, flow: Flow, seen: set[str]) -> int:
        if flow.id in seen:
            return 0
        seen.add(flow.id)
        givers = (self._giver_in(m) for m in flow.requires)
        return max((1 + self._depth(g, seen) for g in givers if g is not None), default=0)

    def _giver_in(self, milestone: str) -> Flow | None:
        return next((f for f in self._current.values() if f.milestone == milestone), None)
